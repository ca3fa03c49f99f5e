package dev.depthprobe.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;

/**
 * Decodes an 8-bit RGB image straight into the bytes of an {@link RgbImage}: the decoder's destination is a
 * raster over that array (R, G, B interleaved, row-major), so the image exists once, not as a decoder's raster
 * and a copy of it.
 */
final class RgbDestination {
  private RgbDestination() {}

  /** @param reader a reader whose input is set, and whose image 0 has three 8-bit samples per pixel */
  static RgbImage read(ImageReader reader) throws IOException {
    int width = reader.getWidth(0);
    int height = reader.getHeight(0);
    byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
    WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(pixels, pixels.length), width, height,
        width * 3, 3, new int[] {0, 1, 2}, null);
    ComponentColorModel rgb = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    ImageReadParam param = reader.getDefaultReadParam();
    param.setDestination(new BufferedImage(rgb, raster, false, null));
    reader.read(0, param);
    return new RgbImage(width, height, pixels);
  }
}
