package dev.depthprobe.compute;

/**
 * The float loops the models' Java kernels share, each on the Vector API where the JVM has it ({@link Simd},
 * {@link VectorLoops}) and otherwise in plain loops shaped for HotSpot's auto-vectoriser; the one place that
 * chooses, as {@link FloatExp#expInPlace} does for exp.
 */
public final class FloatLoops {
  private FloatLoops() {}

  /** The sum of x[0, n). */
  public static float sum(float[] x, int n) {
    return Simd.VECTOR_API ? VectorLoops.sum(x, n) : plainSum(x, n);
  }

  /** The sum of (x[i] - mean)^2 over [0, n). */
  public static float squaredDeviations(float[] x, float mean, int n) {
    return Simd.VECTOR_API ? VectorLoops.squaredDeviations(x, mean, n) : plainSquaredDeviations(x, mean, n);
  }

  /**
   * acc[0, n) += a[aFrom, aFrom + n) * b[0, n). Without the Vector API, a's values are copied into {@code scratch}
   * (n floats at least) first: HotSpot vectorises the loop only when every array in it is indexed alike.
   */
  public static void multiplyAdd(float[] acc, float[] a, int aFrom, float[] b, int n, float[] scratch) {
    if (Simd.VECTOR_API) {
      VectorLoops.multiplyAdd(acc, 0, a, aFrom, b, n);
    } else {
      System.arraycopy(a, aFrom, scratch, 0, n);
      plainMultiplyAdd(acc, scratch, b, n);
    }
  }

  /** The sum of x[0, n), over four accumulators. */
  static float plainSum(float[] x, int n) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
    }
    for (; i < n; i++) {
      s0 += x[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** The sum of (x[i] - mean)^2 over [0, n), over four accumulators. */
  static float plainSquaredDeviations(float[] x, float mean, int n) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      float d0 = x[i] - mean;
      float d1 = x[i + 1] - mean;
      float d2 = x[i + 2] - mean;
      float d3 = x[i + 3] - mean;
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; i < n; i++) {
      float d = x[i] - mean;
      s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** acc[0, n) += a[0, n) * b[0, n). */
  static void plainMultiplyAdd(float[] acc, float[] a, float[] b, int n) {
    for (int i = 0; i < n; i++) {
      acc[i] += a[i] * b[i];
    }
  }
}
