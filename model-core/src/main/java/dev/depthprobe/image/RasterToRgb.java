package dev.depthprobe.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Pillow's {@code convert("RGB")} applied to the samples of a decoded PNG, GIF, BMP or WebP,
 * read straight from the raster so that Java2D never composites or premultiplies: grey is
 * replicated, a palette is looked up, alpha is dropped, 16-bit samples keep their high byte
 * (Pillow's {@code ;16B} raw modes), samples below 8 bits are scaled to 0..255 as Pillow unpacks
 * them. The exception is 16-bit greyscale without alpha, which Pillow opens as a 32-bit integer
 * image ({@code "I"}): its conversion clips values at 255 instead of scaling them.
 */
final class RasterToRgb {
  private RasterToRgb() {}

  /** @param clipSixteenBitGray the source is 16-bit greyscale that Pillow opens in mode "I" */
  static RgbImage convert(BufferedImage image, boolean clipSixteenBitGray, String name) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int colors = cm.getNumColorComponents();
    if (!(cm instanceof IndexColorModel) && colors != 1 && colors != 3) {
      throw new ImageDecodeException(name + ": cannot decode image: unsupported colour model with "
          + colors + " colour components");
    }
    int[] max = new int[raster.getNumBands()];
    for (int b = 0; b < max.length; b++) {
      max[b] = (1 << raster.getSampleModel().getSampleSize(b)) - 1;
    }
    return RasterRows.toRgb(raster, (row, w, bands, out, offset) -> {
      for (int x = 0; x < w; x++) {
        int i = x * bands;
        int o = offset + x * 3;
        if (cm instanceof IndexColorModel palette) {
          out[o] = (byte) palette.getRed(row[i]);
          out[o + 1] = (byte) palette.getGreen(row[i]);
          out[o + 2] = (byte) palette.getBlue(row[i]);
        } else if (colors == 1) {
          int v = clipSixteenBitGray ? Math.min(row[i], 255) : to8Bit(row[i], max[0]);
          out[o] = out[o + 1] = out[o + 2] = (byte) v;
        } else {
          for (int c = 0; c < 3; c++) {
            out[o + c] = (byte) to8Bit(row[i + c], max[c]);
          }
        }
      }
    });
  }

  private static int to8Bit(int v, int max) {
    if (max == 255) {
      return v;
    }
    return max == 65535 ? v >> 8 : v * 255 / max;
  }
}
