package dev.depthprobe.jobs.evaluate;

import java.io.Serializable;

/**
 * The standard monocular-depth errors of one image, as BTS's {@code compute_errors} and GLPDepth's
 * {@code eval_depth} define them, over the valid pixels: ground truth strictly between the minimum and
 * maximum depth (and inside the crop). The {@link DepthProtocol} says how predictions outside the range
 * are treated and how {@code silog} is scaled. Computed in float64.
 *
 * <ul>
 *   <li>{@code absRel} = mean(|gt - pred| / gt), {@code sqRel} = mean((gt - pred)^2 / gt)</li>
 *   <li>{@code rmse} = sqrt(mean((gt - pred)^2)), {@code rmseLog} = sqrt(mean((ln gt - ln pred)^2))</li>
 *   <li>{@code log10} = mean(|log10 pred - log10 gt|)</li>
 *   <li>{@code silog}: {@link DepthProtocol#BTS} 100 * sqrt(mean(e^2) - mean(e)^2), {@link DepthProtocol#GLPN}
 *       sqrt(mean(e^2) - 0.5 * mean(e)^2), with e = ln pred - ln gt</li>
 *   <li>{@code deltaK} = share of pixels with max(gt / pred, pred / gt) &lt; 1.25^K</li>
 * </ul>
 */
public record DepthErrors(long validPixels, double absRel, double sqRel, double rmse, double rmseLog, double log10,
    double silog, double delta1, double delta2, double delta3) implements Serializable {

  /** The metric names, in the order of {@link #values()}, as the output columns and metrics.json spell them. */
  public static final String[] NAMES = {"abs_rel", "sq_rel", "rmse", "rmse_log", "log10", "silog",
      "delta1", "delta2", "delta3"};

  /** The evaluation settings: depth range (exclusive), optional crop and the protocol. */
  public record Range(double minDepth, double maxDepth, DepthCrop crop, DepthProtocol protocol)
      implements Serializable {
    public Range {
      if (!(minDepth > 0 && maxDepth > minDepth)) {
        throw new IllegalArgumentException("need 0 < min depth < max depth, got " + minDepth + ", " + maxDepth);
      }
      if (protocol == null) {
        throw new IllegalArgumentException("no evaluation protocol");
      }
    }

    /** BTS's protocol. */
    public Range(double minDepth, double maxDepth, DepthCrop crop) {
      this(minDepth, maxDepth, crop, DepthProtocol.BTS);
    }
  }

  /**
   * Errors of {@code prediction} against {@code groundTruth}, both row-major {@code height x width} metres.
   * With no valid pixel, {@code validPixels} is 0 and every error is NaN.
   */
  public static DepthErrors compute(float[] prediction, float[] groundTruth, int height, int width, Range range) {
    if (prediction.length != (long) height * width || groundTruth.length != (long) height * width) {
      throw new IllegalArgumentException("prediction (" + prediction.length + " values) and ground truth ("
          + groundTruth.length + ") must both hold " + height + "x" + width);
    }
    int[] region = range.crop() == null ? new int[] {0, height, 0, width} : range.crop().region(height, width);
    long n = 0;
    double absRel = 0;
    double sqRel = 0;
    double squared = 0;
    double squaredLog = 0;
    double log10 = 0;
    double logError = 0;
    long d1 = 0;
    long d2 = 0;
    long d3 = 0;
    for (int y = region[0]; y < region[1]; y++) {
      for (int x = region[2]; x < region[3]; x++) {
        double gt = groundTruth[y * width + x];
        if (!(gt > range.minDepth() && gt < range.maxDepth())) {
          continue;
        }
        double pred = range.protocol().prediction(prediction[y * width + x], range.minDepth(), range.maxDepth());
        double diff = gt - pred;
        double e = Math.log(pred) - Math.log(gt);
        double ratio = Math.max(gt / pred, pred / gt);
        n++;
        absRel += Math.abs(diff) / gt;
        sqRel += diff * diff / gt;
        squared += diff * diff;
        squaredLog += e * e;
        logError += e;
        log10 += Math.abs(Math.log10(pred) - Math.log10(gt));
        d1 += ratio < 1.25 ? 1 : 0;
        d2 += ratio < 1.25 * 1.25 ? 1 : 0;
        d3 += ratio < 1.25 * 1.25 * 1.25 ? 1 : 0;
      }
    }
    if (n == 0) {
      double nan = Double.NaN;
      return new DepthErrors(0, nan, nan, nan, nan, nan, nan, nan, nan, nan);
    }
    double meanLog = logError / n;
    double meanSquaredLog = squaredLog / n;
    return new DepthErrors(n, absRel / n, sqRel / n, Math.sqrt(squared / n), Math.sqrt(meanSquaredLog), log10 / n,
        range.protocol().silog(meanSquaredLog, meanLog),
        (double) d1 / n, (double) d2 / n, (double) d3 / n);
  }

  /** The errors in the order of {@link #NAMES}. */
  public double[] values() {
    return new double[] {absRel, sqRel, rmse, rmseLog, log10, silog, delta1, delta2, delta3};
  }
}
