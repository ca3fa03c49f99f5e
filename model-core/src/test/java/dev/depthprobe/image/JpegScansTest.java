package dev.depthprobe.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.testing.JpegBytes;
import dev.depthprobe.testing.PngBytes;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/**
 * Scan bombs (libjpeg-turbo's LJT-01-003): a progressive JPEG whose every scan passes over the whole image, so that
 * a small file of many scans decodes for hours. The scans are counted from the markers, and a file of too many is
 * refused before the decoder sees it.
 */
class JpegScansTest {
  private static final byte[] BASELINE = JpegBytes.encode(JpegBytes.noise(64, 48, 1), false);
  private static final byte[] PROGRESSIVE = JpegBytes.encode(JpegBytes.noise(64, 48, 1), true);
  /** A flat image: its last scan is a few bytes, as a bomb's scans are. */
  private static final byte[] FLAT = JpegBytes.encode(new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR), true);

  @Test
  void aBaselineJpegIsOneScanThatStreamsAndAProgressiveOneLibjpegsTenScansOverAWholeImageBuffer() {
    assertEquals(new JpegScans(1, 0), JpegScans.of(BASELINE));
    // the JDK's encoder subsamples chroma 2x2: 4 x 3 MCUs of 16x16 pixels, each 4 luma and 2 chroma blocks
    // of 64 two-byte coefficients
    assertEquals(new JpegScans(10, 4 * 3 * 6 * 128), JpegScans.of(PROGRESSIVE));
  }

  @Test
  void entropyCodedDataIsSkippedOverItsStuffedBytes() {
    byte[] noise = JpegBytes.encode(JpegBytes.noise(512, 384, 2), true);
    assertTrue(countStuffedBytes(noise) > 100, "the noise's scans stuff 0xFF bytes: " + countStuffedBytes(noise));

    assertEquals(10, JpegScans.of(noise).scans());
    assertEquals(10 + 7, JpegScans.of(JpegBytes.withLastScanRepeated(noise, 7)).scans());
  }

  @Test
  void aFileThatIsNoJpegHasNoScans() {
    assertEquals(new JpegScans(0, 0), JpegScans.of(PngBytes.deflatedZeros(16)));
    assertEquals(new JpegScans(0, 0), JpegScans.of(new byte[0]));
  }

  @Test
  void aJpegOfMoreScansThanTheLimitIsRefusedBeforeDecoding() {
    // 12000x12000 declared: decoding its 501 scans would pass over 144 megapixels 501 times
    byte[] bomb = JpegBytes.withDeclaredSize(
        JpegBytes.withLastScanRepeated(FLAT, JpegScans.MAX_SCANS + 1 - 10), 12_000, 12_000);
    assertTrue(bomb.length < 20_000, bomb.length + " bytes");

    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> new ImageLoader().load(bomb, "bomb.jpg"));

    assertEquals("bomb.jpg: cannot decode image: too many scans: 501 exceed the limit of 500, each a pass over the "
        + "whole image (possible decompression bomb)", e.getMessage());
  }

  @Test
  void aJpegOfAsManyScansAsTheLimitDecodes() {
    byte[] most = JpegBytes.withLastScanRepeated(PROGRESSIVE, JpegScans.MAX_SCANS - 10);
    assertFalse(JpegScans.of(most).tooMany());

    RgbImage image = new ImageLoader().load(most, "most.jpg");

    assertEquals(64, image.width());
    assertEquals(48, image.height());
  }

  @Test
  void theHeaderProbeCarriesTheCoefficientBufferOfAMultiScanJpegOnly() {
    assertEquals(4 * 3 * 6 * 128, ImageLoader.probe(PROGRESSIVE, "progressive.jpg").decoderBufferBytes());
    assertEquals(0, ImageLoader.probe(BASELINE, "baseline.jpg").decoderBufferBytes());
    // a size in the frame header is what libjpeg allocates for: 750 x 750 MCUs
    byte[] large = JpegBytes.withDeclaredSize(PROGRESSIVE, 12_000, 12_000);
    assertEquals(750L * 750 * 6 * 128, ImageLoader.probe(large, "large.jpg").decoderBufferBytes());
  }

  private static int countStuffedBytes(byte[] jpeg) {
    int n = 0;
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xff && jpeg[i + 1] == 0) {
        n++;
      }
    }
    return n;
  }
}
