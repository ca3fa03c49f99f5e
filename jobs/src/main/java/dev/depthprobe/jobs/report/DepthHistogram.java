package dev.depthprobe.jobs.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;

/** Counts of pixel depths in equal bins from {@code min} to {@code max} metres, drawn as a bar chart. */
record DepthHistogram(double min, double max, long[] counts) {
  private static final Color BAR = new Color(0x3b6ea8);

  long total() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  ReportImage draw(Path folder, String path, String title) throws IOException {
    ChartCanvas c = new ChartCanvas(640, 320, 72, 36, 24, 50);
    long peak = 1;
    for (long n : counts) {
      peak = Math.max(peak, n);
    }
    double top = peak * 1.05;
    c.yTicks(0, top, ChartCanvas::compactCount);
    double width = (max - min) / counts.length;
    c.g.setColor(BAR);
    for (int i = 0; i < counts.length; i++) {
      int x0 = c.xPixel(min + i * width, min, max);
      int x1 = c.xPixel(min + (i + 1) * width, min, max);
      int y = c.yPixel(counts[i], 0, top);
      c.g.fillRect(x0, y, Math.max(1, x1 - x0 - 1), c.bottom - y);
    }
    c.xTicks(min, max, ChartCanvas.niceStep(max - min, 8), v -> ChartCanvas.decimal(v, 2));
    c.axes();
    c.title(title);
    c.xLabel("depth (m)");
    c.yLabel("pixels");
    return c.write(folder, path);
  }
}
