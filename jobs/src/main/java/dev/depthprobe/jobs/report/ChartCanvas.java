package dev.depthprobe.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.DoubleFunction;
import javax.imageio.ImageIO;

/**
 * A white Java2D (headless) image with a plot area: the title above it, the axis labels beside it and
 * tick labels on a "nice" scale (steps of 1, 2 or 5 times a power of ten). The charts draw into it.
 */
final class ChartCanvas {
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  static final Color AXIS = new Color(0x333333);
  static final Color GRID = new Color(0xe3e3e3);

  final BufferedImage image;
  final Graphics2D g;
  /** The plot area, in pixels. */
  final int left;
  final int top;
  final int right;
  final int bottom;

  ChartCanvas(int width, int height, int marginLeft, int marginTop, int marginRight, int marginBottom) {
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    left = marginLeft;
    top = marginTop;
    right = width - marginRight;
    bottom = height - marginBottom;
  }

  void title(String text) {
    g.setFont(TITLE);
    g.setColor(Color.BLACK);
    centred(text, image.getWidth() / 2, 22);
  }

  void xLabel(String text) {
    g.setFont(LABEL);
    g.setColor(AXIS);
    centred(text, (left + right) / 2, image.getHeight() - 10);
  }

  void yLabel(String text) {
    g.setFont(LABEL);
    g.setColor(AXIS);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    // rotated: x runs upwards, y to the right
    centred(text, -(top + bottom) / 2, 18);
    g.setTransform(saved);
  }

  /** Horizontal grid lines and labels at nice steps of the value axis from {@code min} to {@code max}. */
  void yTicks(double min, double max, DoubleFunction<String> format) {
    g.setFont(TICK);
    FontMetrics fm = g.getFontMetrics();
    double step = niceStep(max - min, 5);
    for (double v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
      int y = yPixel(v, min, max);
      g.setColor(GRID);
      g.drawLine(left, y, right, y);
      g.setColor(AXIS);
      String text = format.apply(v);
      g.drawString(text, left - 6 - fm.stringWidth(text), y + fm.getAscent() / 2 - 1);
    }
  }

  /** Tick labels at nice steps of the horizontal axis from {@code min} to {@code max}. */
  void xTicks(double min, double max, double step, DoubleFunction<String> format) {
    g.setFont(TICK);
    FontMetrics fm = g.getFontMetrics();
    g.setColor(AXIS);
    for (double v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
      int x = xPixel(v, min, max);
      g.drawLine(x, bottom, x, bottom + 4);
      centred(format.apply(v), x, bottom + 6 + fm.getAscent());
    }
  }

  void axes() {
    g.setColor(AXIS);
    g.setStroke(new BasicStroke(1.2f));
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, top, left, bottom);
    g.setStroke(new BasicStroke(1f));
  }

  int xPixel(double v, double min, double max) {
    return (int) Math.round(left + (v - min) / (max - min) * (right - left));
  }

  int yPixel(double v, double min, double max) {
    return (int) Math.round(bottom - (v - min) / (max - min) * (bottom - top));
  }

  void centred(String text, int x, int baseline) {
    g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
  }

  /** Writes the chart as {@code folder/path}. */
  ReportImage write(Path folder, String path) throws IOException {
    g.dispose();
    ImageIO.write(image, "png", folder.resolve(path).toFile());
    return new ReportImage(path, image.getWidth(), image.getHeight());
  }

  /** 1, 2 or 5 times a power of ten, giving about {@code ticks} steps over {@code range}. */
  static double niceStep(double range, int ticks) {
    if (!(range > 0)) {
      return 1;
    }
    double raw = range / ticks;
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double fraction = raw / power;
    return (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * power;
  }

  /** A count in few characters: 950, 12k, 3.4M. */
  static String compactCount(double v) {
    double a = Math.abs(v);
    if (a >= 1e6) {
      return trim(String.format(Locale.ROOT, "%.1f", v / 1e6)) + "M";
    }
    if (a >= 1e3) {
      return trim(String.format(Locale.ROOT, "%.1f", v / 1e3)) + "k";
    }
    return trim(String.format(Locale.ROOT, "%.1f", v));
  }

  /** A number with at most {@code decimals} decimals and no trailing zeros. */
  static String decimal(double v, int decimals) {
    return trim(String.format(Locale.ROOT, "%." + decimals + "f", v));
  }

  private static String trim(String s) {
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
