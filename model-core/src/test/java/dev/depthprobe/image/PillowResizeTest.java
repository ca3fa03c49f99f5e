package dev.depthprobe.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PillowResizeTest {
  private static RgbImage noise(int width, int height) {
    byte[] px = new byte[width * height * 3];
    new Random(7).nextBytes(px);
    return new RgbImage(width, height, px);
  }

  private static RgbImage constant(int width, int height, int r, int g, int b) {
    byte[] px = new byte[width * height * 3];
    for (int i = 0; i < px.length; i += 3) {
      px[i] = (byte) r;
      px[i + 1] = (byte) g;
      px[i + 2] = (byte) b;
    }
    return new RgbImage(width, height, px);
  }

  @ParameterizedTest
  @EnumSource(ResampleFilter.class)
  void sameSizeReturnsAnIdenticalCopy(ResampleFilter filter) {
    RgbImage image = noise(13, 9);

    RgbImage resized = PillowResize.resize(image, 13, 9, filter);

    assertNotSame(image.pixels(), resized.pixels());
    assertArrayEquals(image.pixels(), resized.pixels());
  }

  @ParameterizedTest
  @EnumSource(ResampleFilter.class)
  void constantImageStaysConstantWhenScaledEitherWay(ResampleFilter filter) {
    RgbImage image = constant(37, 23, 0, 128, 255);

    for (int[] size : new int[][] {{64, 64}, {8, 5}, {37, 61}, {3, 23}, {100, 1}}) {
      RgbImage resized = PillowResize.resize(image, size[0], size[1], filter);

      assertArrayEquals(constant(size[0], size[1], 0, 128, 255).pixels(), resized.pixels(),
          filter + " to " + Arrays.toString(size));
    }
  }

  @Test
  void bilinearDownscaleWidensTheTriangleToTheScaleFactor() {
    // 4 -> 2 columns: scale 2, support 2, output column 0 is centred on input x = 1.0 and takes
    // inputs 0..2 with triangle weights 0.75, 0.75, 0.25 -> 3/7, 3/7, 1/7
    RgbImage row = new RgbImage(4, 1, new byte[] {0, 0, 0, 100, 100, 100, (byte) 200, (byte) 200, (byte) 200,
        (byte) 255, (byte) 255, (byte) 255});

    RgbImage resized = PillowResize.resize(row, 2, 1, ResampleFilter.BILINEAR);

    assertEquals(Math.round((0 * 3 + 100 * 3 + 200) / 7.0), resized.get(0, 0, 0));
    // column 1 centred on 3.0: inputs 1..3 with weights 0.25, 0.75, 0.75 -> 1/7, 3/7, 3/7
    assertEquals(Math.round((100 + 200 * 3 + 255 * 3) / 7.0), resized.get(0, 1, 0));
  }

  @Test
  void bicubicOvershootIsClippedToTheUint8Range() {
    // a black-white step: the negative lobes of the cubic would ring below 0 and above 255
    byte[] px = new byte[8 * 3];
    Arrays.fill(px, 12, 24, (byte) 255);
    RgbImage step = new RgbImage(8, 1, px);

    RgbImage resized = PillowResize.resize(step, 13, 1, ResampleFilter.BICUBIC);

    // clipped, the ringing flattens into 0 and 255; wrapped around it would break monotonicity
    for (int x = 1; x < 13; x++) {
      assertTrue(resized.get(0, x, 0) >= resized.get(0, x - 1, 0), "column " + x);
    }
    assertEquals(0, resized.get(0, 0, 0));
    assertEquals(255, resized.get(0, 12, 0));
  }

  @Test
  void unsupportedPillowFilterCodeIsRejected() {
    assertEquals(ResampleFilter.BICUBIC, ResampleFilter.fromPillowCode(3));
    assertThrows(IllegalArgumentException.class, () -> ResampleFilter.fromPillowCode(0));
  }

  @ParameterizedTest
  @EnumSource(ResampleFilter.class)
  void bandsOfRowsGiveTheBytesOfOneWholeAxisAtATime(ResampleFilter filter) {
    // Pillow filters the whole image horizontally, then vertically: two resizes of one axis each do that
    RgbImage in = noise(301, 517);
    for (int[] size : new int[][] {{123, 77}, {700, 1100}, {300, 150}, {40, 1000}}) {
      RgbImage wholeAxes = PillowResize.resize(PillowResize.resize(in, size[0], in.height(), filter),
          size[0], size[1], filter);

      RgbImage banded = PillowResize.resize(in, size[0], size[1], filter);

      assertArrayEquals(wholeAxes.pixels(), banded.pixels(), size[0] + "x" + size[1]);
    }
  }

  @Test
  void bandsArriveInOrderAndCoverEveryRowOnce() {
    RgbImage in = noise(90, 300);
    int[] next = {0};
    PillowResize.resizeInBands(in, 50, 200, ResampleFilter.BILINEAR, (firstRow, rows, band) -> {
      assertEquals(next[0], firstRow);
      assertTrue(rows >= 1 && rows <= PillowResize.BAND_ROWS);
      next[0] += rows;
    });
    assertEquals(200, next[0]);
  }
}
