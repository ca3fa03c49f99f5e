package dev.depthprobe.jobs.report;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.geom.AffineTransform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The probe's confusion matrix as a heat map: rows are true labels, columns predicted labels, each cell
 * shaded by its share of the row (the row's recall on the diagonal) and labelled with its count.
 */
record ConfusionHeatMap(List<String> labels, long[][] counts) {

  ReportImage draw(Path folder, String path, String title) throws IOException {
    int n = labels.size();
    int cell = Math.max(18, Math.min(48, 520 / Math.max(1, n)));
    ChartCanvas probe = new ChartCanvas(1, 1, 0, 0, 0, 0);
    probe.g.setFont(ChartCanvas.TICK);
    FontMetrics fm = probe.g.getFontMetrics();
    int labelWidth = 0;
    for (String label : labels) {
      labelWidth = Math.max(labelWidth, fm.stringWidth(label));
    }
    int marginLeft = 36 + labelWidth + 8;
    int marginBottom = 36 + labelWidth + 8;
    ChartCanvas c = new ChartCanvas(marginLeft + n * cell + 24, 40 + n * cell + marginBottom, marginLeft, 40, 24,
        marginBottom);
    c.g.setFont(ChartCanvas.TICK);
    for (int i = 0; i < n; i++) {
      long rowTotal = 0;
      for (long v : counts[i]) {
        rowTotal += v;
      }
      for (int j = 0; j < n; j++) {
        double share = rowTotal == 0 ? 0 : (double) counts[i][j] / rowTotal;
        int x = c.left + j * cell;
        int y = c.top + i * cell;
        c.g.setColor(shade(share));
        c.g.fillRect(x, y, cell, cell);
        c.g.setColor(new Color(0xdddddd));
        c.g.drawRect(x, y, cell, cell);
        if (cell >= 22) {
          c.g.setColor(share > 0.55 ? Color.WHITE : Color.BLACK);
          c.centred(Long.toString(counts[i][j]), x + cell / 2, y + cell / 2 + fm.getAscent() / 2 - 1);
        }
      }
    }
    c.g.setColor(ChartCanvas.AXIS);
    for (int i = 0; i < n; i++) {
      String label = labels.get(i);
      c.g.drawString(label, c.left - 6 - fm.stringWidth(label), c.top + i * cell + cell / 2 + fm.getAscent() / 2 - 1);
      AffineTransform saved = c.g.getTransform();
      c.g.translate(c.left + i * cell + cell / 2 + fm.getAscent() / 2 - 1, c.bottom + 6);
      c.g.rotate(Math.PI / 2);
      c.g.drawString(label, 0, 0);
      c.g.setTransform(saved);
    }
    c.title(title);
    c.xLabel("predicted label");
    c.yLabel("true label");
    return c.write(folder, path);
  }

  /** White (0) to dark blue (1). */
  private static Color shade(double share) {
    double t = Math.max(0, Math.min(1, share));
    return new Color((int) Math.round(255 - t * (255 - 0x08)), (int) Math.round(255 - t * (255 - 0x30)),
        (int) Math.round(255 - t * (255 - 0x6b)));
  }
}
