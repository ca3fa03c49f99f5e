package dev.depthprobe.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExifOrientationTest {
  /** Stored 3 wide x 2 tall: a b c / d e f, each pixel's red channel holding its letter. */
  private static final RgbImage STORED = image(3, "abcdef");

  private static RgbImage image(int width, String letters) {
    byte[] px = new byte[letters.length() * 3];
    for (int i = 0; i < letters.length(); i++) {
      px[i * 3] = (byte) letters.charAt(i);
    }
    return new RgbImage(width, letters.length() / width, px);
  }

  @ParameterizedTest(name = "orientation {0} shows {2}")
  @CsvSource({
      "1, 3, abcdef",
      "2, 3, cbafed",  // mirrored left-right
      "3, 3, fedcba",  // rotated 180
      "4, 3, defabc",  // mirrored top-bottom
      "5, 2, adbecf",  // transposed
      "6, 2, daebfc",  // rotated 90 degrees clockwise
      "7, 2, fcebda",  // transversed
      "8, 2, cfbead",  // rotated 90 degrees counter-clockwise
      "9, 3, abcdef",  // not a valid orientation: left as stored
  })
  void orientationTurnsTheStoredPixelsUpright(int orientation, int width, String shown) {
    RgbImage upright = ExifOrientation.apply(STORED, orientation);

    assertEquals(width, upright.width());
    assertArrayEquals(image(width, shown).pixels(), upright.pixels());
  }
}
