package dev.depthprobe.jobs.evaluate;

/**
 * The evaluation crops of the monodepth / BTS literature, as BTS's {@code bts_eval.py} applies them:
 * a rectangle of the ground truth outside which no pixel counts.
 */
public enum DepthCrop {
  /** Garg et al. (ECCV 2016), KITTI: rows 0.40810811..0.99189189, columns 0.03594771..0.96405229 of the size. */
  GARG(0.40810811, 0.99189189, 0.03594771, 0.96405229),
  /** Eigen et al. (NIPS 2014), KITTI: rows 0.3324324..0.91351351, columns 0.0359477..0.96405229 of the size. */
  EIGEN(0.3324324, 0.91351351, 0.0359477, 0.96405229),
  /** Eigen et al.'s NYU Depth v2 crop: rows 45..470 and columns 41..600 of a 480x640 image. */
  NYU(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  static final int NYU_HEIGHT = 480;
  static final int NYU_WIDTH = 640;

  private final double top;
  private final double bottom;
  private final double left;
  private final double right;

  DepthCrop(double top, double bottom, double left, double right) {
    this.top = top;
    this.bottom = bottom;
    this.left = left;
    this.right = right;
  }

  /**
   * {@code {rowStart, rowEnd, colStart, colEnd}} (ends exclusive) for a {@code height x width} ground
   * truth, as numpy's {@code mask[int(a * h):int(b * h), int(c * w):int(d * w)]}.
   *
   * @throws IllegalArgumentException for {@link #NYU} on another size than 480x640
   */
  public int[] region(int height, int width) {
    if (this == NYU) {
      if (height != NYU_HEIGHT || width != NYU_WIDTH) {
        throw new IllegalArgumentException("--crop nyu needs 480x640 ground truth, got " + height + "x" + width);
      }
      return new int[] {45, 471, 41, 601};
    }
    return new int[] {(int) (top * height), (int) (bottom * height), (int) (left * width), (int) (right * width)};
  }
}
