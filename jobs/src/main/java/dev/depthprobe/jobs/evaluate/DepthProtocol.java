package dev.depthprobe.jobs.evaluate;

/**
 * How the errors of one image are computed: the two protocols differ in what they do with predictions
 * outside the valid range and in the scale-invariant log error. Both keep the pixels whose ground
 * truth lies strictly between the minimum and maximum depth, inside the crop, and average per-image
 * metrics over images.
 */
public enum DepthProtocol {
  /**
   * BTS's {@code bts_eval.py} / {@code compute_errors}: predictions clamped to [min, max] (infinities to
   * the nearer end, NaN to min); {@code silog = 100 * sqrt(mean(e^2) - mean(e)^2)}.
   */
  BTS {
    @Override
    double prediction(float value, double minDepth, double maxDepth) {
      if (Float.isNaN(value)) {
        return minDepth;
      }
      return Math.min(maxDepth, Math.max(minDepth, value));
    }

    @Override
    double silog(double meanSquaredLog, double meanLog) {
      return 100 * Math.sqrt(Math.max(0, meanSquaredLog - meanLog * meanLog));
    }
  },
  /**
   * GLPDepth's {@code code/utils/metrics.py} ({@code cropping_img}, {@code eval_depth}): predictions not
   * clamped, only infinities set to max and NaN to min; {@code silog = sqrt(mean(e^2) - 0.5 * mean(e)^2)},
   * not scaled.
   */
  GLPN {
    @Override
    double prediction(float value, double minDepth, double maxDepth) {
      if (Float.isNaN(value)) {
        return minDepth;
      }
      return Float.isInfinite(value) ? maxDepth : value;
    }

    @Override
    double silog(double meanSquaredLog, double meanLog) {
      return Math.sqrt(meanSquaredLog - 0.5 * meanLog * meanLog);
    }
  };

  /** The prediction as the protocol compares it. */
  abstract double prediction(float value, double minDepth, double maxDepth);

  /** The scale-invariant log error from mean(e^2) and mean(e), e = ln pred - ln gt. */
  abstract double silog(double meanSquaredLog, double meanLog);
}
