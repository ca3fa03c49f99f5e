package dev.depthprobe.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Probe accuracy and macro F1 against the layer probed, the best layer marked. */
record LayerSweepChart(List<Point> points, int bestLayer) {
  private static final Color ACCURACY = new Color(0x1f77b4);
  private static final Color MACRO_F1 = new Color(0xe07b00);
  private static final Color BEST = new Color(0x2ca02c);

  /** One layer's figures. */
  record Point(int layer, double accuracy, double macroF1) {}

  ReportImage draw(Path folder, String path, String title) throws IOException {
    ChartCanvas c = new ChartCanvas(640, 340, 64, 36, 24, 50);
    int minLayer = points.stream().mapToInt(Point::layer).min().orElse(0);
    int maxLayer = points.stream().mapToInt(Point::layer).max().orElse(1);
    double xMin = minLayer - 0.5;
    double xMax = Math.max(maxLayer, minLayer + 1) + 0.5;
    double low = points.stream().mapToDouble(p -> Math.min(p.accuracy(), p.macroF1())).min().orElse(0);
    double high = points.stream().mapToDouble(p -> Math.max(p.accuracy(), p.macroF1())).max().orElse(1);
    double yMin = Math.max(0, Math.floor((low - 0.05) * 10) / 10);
    double yMax = Math.min(1, Math.ceil((high + 0.05) * 10) / 10);
    c.yTicks(yMin, yMax, v -> ChartCanvas.decimal(v, 2));
    double step = Math.max(1, Math.round(ChartCanvas.niceStep(maxLayer - minLayer, 12)));
    c.xTicks(xMin, xMax, step, v -> Long.toString(Math.round(v)));
    int bestX = c.xPixel(bestLayer, xMin, xMax);
    c.g.setColor(BEST);
    c.g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    c.g.drawLine(bestX, c.top, bestX, c.bottom);
    c.g.setFont(ChartCanvas.TICK);
    c.g.drawString("best: layer " + bestLayer, bestX + 5, c.top + 12);
    line(c, ACCURACY, xMin, xMax, yMin, yMax, true);
    line(c, MACRO_F1, xMin, xMax, yMin, yMax, false);
    legend(c);
    c.axes();
    c.title(title);
    c.xLabel("layer (hidden_states index)");
    c.yLabel("score on the test images");
    return c.write(folder, path);
  }

  private void line(ChartCanvas c, Color color, double xMin, double xMax, double yMin, double yMax,
      boolean accuracy) {
    c.g.setColor(color);
    c.g.setStroke(new BasicStroke(2f));
    int[] xs = new int[points.size()];
    int[] ys = new int[points.size()];
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      xs[i] = c.xPixel(p.layer(), xMin, xMax);
      ys[i] = c.yPixel(accuracy ? p.accuracy() : p.macroF1(), yMin, yMax);
    }
    c.g.drawPolyline(xs, ys, xs.length);
    for (int i = 0; i < xs.length; i++) {
      c.g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
    }
    c.g.setStroke(new BasicStroke(1f));
  }

  private static void legend(ChartCanvas c) {
    c.g.setFont(ChartCanvas.TICK);
    int x = c.right - 110;
    int y = c.bottom - 34;
    c.g.setColor(ACCURACY);
    c.g.fillRect(x, y - 8, 14, 4);
    c.g.setColor(ChartCanvas.AXIS);
    c.g.drawString("accuracy", x + 20, y - 2);
    c.g.setColor(MACRO_F1);
    c.g.fillRect(x, y + 8, 14, 4);
    c.g.setColor(ChartCanvas.AXIS);
    c.g.drawString("macro F1", x + 20, y + 14);
  }
}
