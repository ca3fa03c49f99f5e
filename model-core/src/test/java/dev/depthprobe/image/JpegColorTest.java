package dev.depthprobe.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Point;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

class JpegColorTest {
  private static Raster raster(int bands, int... samples) {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, samples.length / bands, 1, bands,
        new Point());
    raster.setPixels(0, 0, samples.length / bands, 1, samples);
    return raster;
  }

  @Test
  void neutralChromaGivesGrey() {
    assertEquals(77, JpegColor.red(77, 128));
    assertEquals(77, JpegColor.green(77, 128, 128));
    assertEquals(77, JpegColor.blue(77, 128));
  }

  @Test
  void extremeChromaFollowsLibjpegsRoundedTablesAndClamps() {
    // R = Y + round(1.402 * (Cr - 128)), B = Y + round(1.772 * (Cb - 128))
    assertEquals(100 + 70, JpegColor.red(100, 178));
    assertEquals(255, JpegColor.red(128, 255));
    assertEquals(0, JpegColor.blue(10, 0));
    // G = Y - 0.34414 (Cb - 128) - 0.71414 (Cr - 128) = 100 + 6.88 + 21.42, floored after adding 1/2
    assertEquals(128, JpegColor.green(100, 108, 98));
  }

  @Test
  void cmykUsesPillowsMultiplicativeFormula() {
    assertEquals(255, JpegColor.cmykToRgb(0, 0));
    assertEquals(0, JpegColor.cmykToRgb(255, 0));
    assertEquals(0, JpegColor.cmykToRgb(0, 255));
    // 255 - k - c (255 - k) / 255 = 127 - 63.75, Pillow's MULDIV255 rounds 63.75 to 64
    assertEquals(63, JpegColor.cmykToRgb(128, 128));
  }

  @Test
  void adobeCmykIsStoredInverted() {
    // stored (inverted) C=255 M=0 Y=128 K=255 means c=0 m=255 y=127 k=0
    RgbImage rgb = JpegDecoder.convert(raster(4, 255, 0, 128, 255), JpegDecoder.ColorSpace.CMYK);

    assertArrayEquals(new byte[] {(byte) 255, 0, (byte) 128}, rgb.pixels());
  }

  @Test
  void ycckConvertsTheColourPartThroughYcbcr() {
    // Y=128 neutral chroma -> 128; k = 255 - 255 = 0 -> c = 128 -> 255 - 128 = 127
    RgbImage rgb = JpegDecoder.convert(raster(4, 128, 128, 128, 255), JpegDecoder.ColorSpace.YCCK);

    assertArrayEquals(new byte[] {127, 127, 127}, rgb.pixels());
  }
}
