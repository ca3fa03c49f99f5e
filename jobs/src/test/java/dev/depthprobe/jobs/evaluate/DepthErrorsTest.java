package dev.depthprobe.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DepthErrorsTest {
  private static final DepthErrors.Range KITTI = new DepthErrors.Range(1e-3, 80, null);
  private static final DepthErrors.Range KITTI_GLPN = new DepthErrors.Range(1e-3, 80, null, DepthProtocol.GLPN);
  private static final float[] GT = {2, 4, 5, 10};

  @Test
  void aPredictionEqualToTheGroundTruthHasNoError() {
    DepthErrors e = DepthErrors.compute(GT.clone(), GT, 2, 2, KITTI);

    assertEquals(4, e.validPixels());
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 1, 1}, e.values(), 0);
  }

  @Test
  void aTenPercentOverestimateGivesHandComputedErrors() {
    float[] pred = {2.2f, 4.4f, 5.5f, 11f};

    DepthErrors e = DepthErrors.compute(pred, GT, 2, 2, KITTI);

    // |gt - pred| / gt = 0.1 everywhere; (gt - pred)^2 / gt = 0.01 gt, mean 0.01 * 21 / 4
    assertEquals(0.1, e.absRel(), 1e-6);
    assertEquals(0.0525, e.sqRel(), 1e-6);
    // sqrt(0.01 * (4 + 16 + 25 + 100) / 4) = 0.1 * sqrt(36.25)
    assertEquals(0.6020797, e.rmse(), 1e-6);
    assertEquals(Math.log(1.1), e.rmseLog(), 1e-6);
    assertEquals(Math.log10(1.1), e.log10(), 1e-6);
    // a uniform scale error is invisible to the scale-invariant log error
    assertEquals(0, e.silog(), 1e-3);
    assertEquals(1, e.delta1());
  }

  @Test
  void halfThePixelsOffByHalfGiveHandComputedErrors() {
    float[] pred = {3f, 6f, 5f, 10f};

    DepthErrors e = DepthErrors.compute(pred, GT, 2, 2, KITTI);

    assertEquals(0.25, e.absRel(), 1e-7); // (0.5 + 0.5 + 0 + 0) / 4
    assertEquals((1 / 2.0 + 4 / 4.0) / 4, e.sqRel(), 1e-7);
    assertEquals(Math.sqrt((1 + 4) / 4.0), e.rmse(), 1e-7);
    double ln = Math.log(1.5);
    assertEquals(Math.sqrt(2 * ln * ln / 4), e.rmseLog(), 1e-7);
    assertEquals(2 * Math.log10(1.5) / 4, e.log10(), 1e-7);
    // e = (ln 1.5, ln 1.5, 0, 0): mean(e^2) - mean(e)^2 = ln^2 / 2 - ln^2 / 4
    assertEquals(100 * Math.sqrt(ln * ln / 4), e.silog(), 1e-5);
    assertEquals(0.5, e.delta1()); // 1.5 is not below 1.25
    assertEquals(1, e.delta2()); // but below 1.5625
    assertEquals(1, e.delta3());
  }

  @Test
  void groundTruthOutsideTheRangeIsNotCountedAndPredictionsAreClamped() {
    float[] gt = {0, 2, 90, 4};
    float[] pred = {5, Float.POSITIVE_INFINITY, 3, Float.NaN};

    DepthErrors e = DepthErrors.compute(pred, gt, 2, 2, new DepthErrors.Range(1, 10, null));

    // valid: gt 2 (pred inf -> 10) and gt 4 (pred NaN -> 1)
    assertEquals(2, e.validPixels());
    assertEquals((8 / 2.0 + 3 / 4.0) / 2, e.absRel(), 1e-7);
  }

  @Test
  void noValidPixelGivesNaN() {
    DepthErrors e = DepthErrors.compute(new float[] {1}, new float[] {0}, 1, 1, KITTI);

    assertEquals(0, e.validPixels());
    assertEquals(Double.NaN, e.absRel());
  }

  @Test
  void gargCropKeepsTheStandardKittiRegion() {
    assertArrayEquals(new int[] {153, 371, 44, 1197}, DepthCrop.GARG.region(375, 1242));
    assertArrayEquals(new int[] {124, 342, 44, 1197}, DepthCrop.EIGEN.region(375, 1242));
    assertArrayEquals(new int[] {45, 471, 41, 601}, DepthCrop.NYU.region(480, 640));
  }

  @Test
  void pixelsOutsideTheCropAreIgnored() {
    int h = 10;
    int w = 10;
    float[] gt = new float[h * w];
    float[] pred = new float[h * w];
    Arrays.fill(gt, 5);
    Arrays.fill(pred, 50); // wrong everywhere ...
    int[] r = DepthCrop.GARG.region(h, w); // rows 4 to 8, columns 0 to 8
    for (int y = r[0]; y < r[1]; y++) {
      for (int x = r[2]; x < r[3]; x++) {
        pred[y * w + x] = 5; // ... except inside the crop
      }
    }

    DepthErrors e = DepthErrors.compute(pred, gt, h, w, new DepthErrors.Range(1e-3, 80, DepthCrop.GARG));

    assertEquals((long) (r[1] - r[0]) * (r[3] - r[2]), e.validPixels());
    assertEquals(0, e.absRel());
  }

  @Test
  void nyuCropRefusesOtherSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DepthCrop.NYU.region(240, 320));
    assertEquals("--crop nyu needs 480x640 ground truth, got 240x320", e.getMessage());
  }

  @Test
  void glpnProtocolHalfThePixelsOffByHalfGiveHandComputedErrorsWithTheUnscaledHalfWeightedSilog() {
    float[] pred = {3f, 6f, 5f, 10f};

    DepthErrors e = DepthErrors.compute(pred, GT, 2, 2, KITTI_GLPN);

    // the errors GLPDepth shares with BTS are the same
    assertEquals(0.25, e.absRel(), 1e-7);
    assertEquals((1 / 2.0 + 4 / 4.0) / 4, e.sqRel(), 1e-7);
    assertEquals(Math.sqrt((1 + 4) / 4.0), e.rmse(), 1e-7);
    double ln = Math.log(1.5);
    assertEquals(Math.sqrt(2 * ln * ln / 4), e.rmseLog(), 1e-7);
    assertEquals(2 * Math.log10(1.5) / 4, e.log10(), 1e-7);
    // d = (ln 1.5, ln 1.5, 0, 0): mean(d^2) - 0.5 * mean(d)^2 = ln^2 / 2 - 0.5 * ln^2 / 4 = 3/8 ln^2, not x100
    assertEquals(ln * Math.sqrt(3 / 8.0), e.silog(), 1e-7);
    assertEquals(0.5, e.delta1());
    assertEquals(1, e.delta2());
  }

  @Test
  void glpnProtocolSeesAUniformScaleErrorInItsSilogWhereBtsDoesNot() {
    float[] pred = {2.2f, 4.4f, 5.5f, 11f};

    // d = ln 1.1 at every pixel: sqrt(ln^2 - 0.5 ln^2) = ln 1.1 / sqrt(2)
    assertEquals(Math.log(1.1) / Math.sqrt(2), DepthErrors.compute(pred, GT, 2, 2, KITTI_GLPN).silog(), 1e-6);
    assertEquals(0, DepthErrors.compute(pred, GT, 2, 2, KITTI).silog(), 1e-3);
  }

  @Test
  void glpnProtocolDoesNotClampPredictionsButMapsInfinityToMaxAndNanToMin() {
    float[] gt = {2, 4, 5, 10};
    float[] pred = {20, Float.POSITIVE_INFINITY, Float.NaN, 3};
    // valid ground truth: 2, 4, 5 (10 is not below max 8)

    DepthErrors glpn = DepthErrors.compute(pred, gt, 2, 2, new DepthErrors.Range(1, 8, null, DepthProtocol.GLPN));
    DepthErrors bts = DepthErrors.compute(pred, gt, 2, 2, new DepthErrors.Range(1, 8, null, DepthProtocol.BTS));

    assertEquals(3, glpn.validPixels());
    // glpn: pred 20 stays, inf -> 8, NaN -> 1: (18 / 2 + 4 / 4 + 4 / 5) / 3
    assertEquals((9 + 1 + 0.8) / 3, glpn.absRel(), 1e-7);
    // bts: 20 -> 8, inf -> 8, NaN -> 1: (6 / 2 + 4 / 4 + 4 / 5) / 3
    assertEquals((3 + 1 + 0.8) / 3, bts.absRel(), 1e-7);
    // rmse by hand: glpn sqrt((18^2 + 4^2 + 4^2) / 3), bts sqrt((6^2 + 4^2 + 4^2) / 3)
    assertEquals(Math.sqrt((324 + 16 + 16) / 3.0), glpn.rmse(), 1e-6);
    assertEquals(Math.sqrt((36 + 16 + 16) / 3.0), bts.rmse(), 1e-6);
  }

  @Test
  void glpnProtocolKeepsTheNyuCropAsBtsDoes() {
    int h = 480;
    int w = 640;
    float[] gt = new float[h * w];
    float[] pred = new float[h * w];
    Arrays.fill(gt, 2);
    Arrays.fill(pred, 4); // off by 2 m outside the crop ...
    for (int y = 45; y < 471; y++) {
      Arrays.fill(pred, y * w + 41, y * w + 601, 3); // ... and by 1 m inside it
    }

    DepthErrors e = DepthErrors.compute(pred, gt, h, w, new DepthErrors.Range(1e-3, 10, DepthCrop.NYU,
        DepthProtocol.GLPN));

    assertEquals(426L * 560, e.validPixels());
    assertEquals(0.5, e.absRel(), 1e-9);
    assertEquals(1, e.rmse(), 1e-9);
  }
}
