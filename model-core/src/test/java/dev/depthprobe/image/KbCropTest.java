package dev.depthprobe.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KbCropTest {
  @Test
  void kittiSizeKeepsTheBottom352RowsAndTheMiddle1216Columns() {
    // a KITTI frame of 375x1242: top margin 23, left margin (1242 - 1216) / 2 = 13
    assertEquals(23, KbCrop.top(375));
    assertEquals(13, KbCrop.left(1242));
    // an odd surplus of columns rounds the left margin down, as int((w - 1216) / 2)
    assertEquals(2, KbCrop.left(1221));
  }

  @Test
  void aDepthMapIsCutAtTheMarginsRowByRow() {
    int h = 355;
    int w = 1221;
    float[] values = new float[h * w];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }

    float[] crop = KbCrop.apply(values, h, w);

    assertEquals(KbCrop.HEIGHT * KbCrop.WIDTH, crop.length);
    assertEquals(3 * w + 2, crop[0], 0); // row 3, column 2
    assertEquals(3 * w + 2 + 1215, crop[1215], 0);
    assertEquals(354 * w + 2, crop[351 * KbCrop.WIDTH], 0); // the last row
  }

  @Test
  void anRgbImageIsCutAtTheSameRectangle() {
    int h = 353;
    int w = 1218;
    byte[] pixels = new byte[h * w * 3];
    pixels[(1 * w + 1) * 3 + 2] = 7; // row 1, column 1, blue: the crop's first pixel

    RgbImage crop = KbCrop.apply(new RgbImage(w, h, pixels));

    assertEquals(KbCrop.WIDTH, crop.width());
    assertEquals(KbCrop.HEIGHT, crop.height());
    assertEquals(7, crop.get(0, 0, 2));
  }

  @Test
  void anImageSmallerThan352x1216IsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KbCrop.apply(new float[351 * 1300], 351, 1300));
    assertEquals("the KB crop needs at least 352x1216 (height x width), got 351x1300", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KbCrop.check(400, 1215));
  }
}
