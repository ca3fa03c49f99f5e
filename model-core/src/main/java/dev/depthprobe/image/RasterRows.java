package dev.depthprobe.image;

import java.awt.image.Raster;

/**
 * A decoded raster's samples, read a row at a time (never as Java2D colours), made into an 8-bit RGB image;
 * the decoder says what one row of samples becomes.
 */
final class RasterRows {
  private RasterRows() {}

  /** Turns one row of samples ({@code bands} per pixel, as {@code Raster.getPixels} gives them) into RGB. */
  @FunctionalInterface
  interface RowToRgb {
    /** Writes the row's {@code width} pixels as R, G, B bytes into {@code rgb} from {@code offset}. */
    void convert(int[] samples, int width, int bands, byte[] rgb, int offset);
  }

  static RgbImage toRgb(Raster raster, RowToRgb rowToRgb) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int bands = raster.getNumBands();
    int[] row = new int[w * bands];
    byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      rowToRgb.convert(row, w, bands, out, y * w * 3);
    }
    return new RgbImage(w, h, out);
  }
}
