package dev.depthprobe.jobs.probe;

import dev.depthprobe.image.PngEncoding;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The layer-sweep figure (as in the iGPT paper): test accuracy of the probe against the layer, one
 * point per layer joined by a line, the best layer ringed and labelled, and chance level (1 / classes)
 * dashed. Drawn with Java2D on an image in memory (no display needed); {@link #png} encodes it.
 */
public final class LayerSweepChart {
  static final int WIDTH = 720;
  static final int HEIGHT = 440;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 60;
  private static final int BOTTOM = 70;
  private static final Color LINE = new Color(0x1f, 0x77, 0xb4);
  private static final Color BEST = new Color(0xd6, 0x27, 0x28);
  private static final Color GRID = new Color(0xe0, 0xe0, 0xe0);

  private LayerSweepChart() {}

  /** One point: a layer and its test accuracy. */
  public record Point(int layer, double accuracy) {}

  /**
   * The chart as a PNG.
   *
   * @param points ascending by layer, at least one
   * @param bestLayer the layer to mark
   * @param chance accuracy of guessing (1 / classes), or NaN to leave the line out
   * @param subtitle one line under the title (what was probed)
   */
  public static byte[] png(List<Point> points, int bestLayer, double chance, String subtitle) {
    return PngEncoding.encode(draw(points, bestLayer, chance, subtitle));
  }

  static BufferedImage draw(List<Point> points, int bestLayer, double chance, String subtitle) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("no layer to draw");
    }
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      new Plot(g, points, chance).draw(bestLayer, subtitle);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** The axes' ranges and the drawing on one graphics context. */
  private static final class Plot {
    private final Graphics2D g;
    private final List<Point> points;
    private final double chance;
    private final int minLayer;
    private final int maxLayer;
    private final double low;
    private final double high;
    private final double tick;

    Plot(Graphics2D g, List<Point> points, double chance) {
      this.g = g;
      this.points = points;
      this.chance = chance;
      minLayer = points.stream().mapToInt(Point::layer).min().orElseThrow();
      maxLayer = points.stream().mapToInt(Point::layer).max().orElseThrow();
      double lowest = points.stream().mapToDouble(Point::accuracy).filter(Double::isFinite).min().orElse(0);
      double highest = points.stream().mapToDouble(Point::accuracy).filter(Double::isFinite).max().orElse(1);
      if (Double.isFinite(chance)) {
        lowest = Math.min(lowest, chance);
        highest = Math.max(highest, chance);
      }
      // whole tenths around the data, so a curve between 0.1 and 0.3 is not flattened against 0..1
      double lo = Math.max(0, Math.floor((lowest - 0.02) * 10) / 10);
      double hi = Math.min(1, Math.ceil((highest + 0.02) * 10) / 10);
      low = lo;
      high = hi > lo ? hi : Math.min(1, lo + 0.1);
      tick = high - low <= 0.3 ? 0.05 : 0.1;
    }

    void draw(int bestLayer, String subtitle) {
      int plotRight = WIDTH - RIGHT;
      int plotBottom = HEIGHT - BOTTOM;
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
      g.setColor(Color.BLACK);
      centred("Linear-probe accuracy by layer", WIDTH / 2, 28);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.DARK_GRAY);
      centred(subtitle, WIDTH / 2, 47);

      // y grid and tick labels
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      for (int i = 0; low + i * tick <= high + 1e-9; i++) {
        double value = low + i * tick;
        int y = y(value);
        g.setColor(GRID);
        g.drawLine(LEFT, y, plotRight, y);
        g.setColor(Color.BLACK);
        String label = String.format(Locale.ROOT, tick < 0.1 ? "%.2f" : "%.1f", value);
        g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 5);
      }
      // x ticks: every layer while they fit, else every k-th
      int step = Math.max(1, (int) Math.ceil((maxLayer - minLayer + 1) / 25.0));
      for (int layer = minLayer; layer <= maxLayer; layer += step) {
        int x = x(layer);
        g.setColor(Color.BLACK);
        g.drawLine(x, plotBottom, x, plotBottom + 5);
        centred(Integer.toString(layer), x, plotBottom + 20);
      }
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(1.5f));
      g.drawLine(LEFT, plotBottom, plotRight, plotBottom);
      g.drawLine(LEFT, TOP, LEFT, plotBottom);

      // axis titles
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      centred("layer (hidden_states index: 0 = embeddings)", (LEFT + plotRight) / 2, HEIGHT - 22);
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      centred("test accuracy", -(TOP + plotBottom) / 2, 24);
      g.setTransform(saved);

      if (Double.isFinite(chance)) {
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
        g.drawLine(LEFT, y(chance), plotRight, y(chance));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        String label = String.format(Locale.ROOT, "chance %.2f", chance);
        g.drawString(label, plotRight - g.getFontMetrics().stringWidth(label) - 4, y(chance) - 5);
      }

      Path2D line = new Path2D.Double();
      for (int i = 0; i < points.size(); i++) {
        Point p = points.get(i);
        if (i == 0) {
          line.moveTo(x(p.layer()), y(p.accuracy()));
        } else {
          line.lineTo(x(p.layer()), y(p.accuracy()));
        }
      }
      g.setColor(LINE);
      g.setStroke(new BasicStroke(2.5f));
      g.draw(line);
      for (Point p : points) {
        g.fill(new Ellipse2D.Double(x(p.layer()) - 4.5, y(p.accuracy()) - 4.5, 9, 9));
      }

      Point best = points.stream().filter(p -> p.layer() == bestLayer).findFirst().orElseThrow(
          () -> new IllegalArgumentException("best layer " + bestLayer + " is not among the points"));
      int bx = x(best.layer());
      int by = y(best.accuracy());
      g.setColor(BEST);
      g.fill(new Ellipse2D.Double(bx - 6, by - 6, 12, 12));
      g.setStroke(new BasicStroke(2f));
      g.draw(new Ellipse2D.Double(bx - 11, by - 11, 22, 22));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      String label = String.format(Locale.ROOT, "best: layer %d, %.3f", best.layer(), best.accuracy());
      int width = g.getFontMetrics().stringWidth(label);
      int lx = Math.min(Math.max(bx - width / 2, LEFT + 4), plotRight - width - 4);
      int ly = by - 18 < TOP + 12 ? by + 30 : by - 18;
      g.drawString(label, lx, ly);
    }

    private int x(int layer) {
      int plotWidth = WIDTH - LEFT - RIGHT - 40;
      if (maxLayer == minLayer) {
        return LEFT + 20 + plotWidth / 2;
      }
      return LEFT + 20 + (int) Math.round((double) (layer - minLayer) / (maxLayer - minLayer) * plotWidth);
    }

    private int y(double accuracy) {
      double clamped = Double.isFinite(accuracy) ? Math.max(low, Math.min(high, accuracy)) : low;
      int plotHeight = HEIGHT - TOP - BOTTOM - 10;
      return HEIGHT - BOTTOM - (int) Math.round((clamped - low) / (high - low) * plotHeight);
    }

    private void centred(String text, int x, int y) {
      FontMetrics metrics = g.getFontMetrics();
      g.drawString(text, x - metrics.stringWidth(text) / 2, y);
    }
  }
}
