package dev.depthprobe.compute;

/**
 * exp(x) in float32 to within 2 ulp over an array, in loops HotSpot's C2 vectorises ({@link Math#exp} is
 * a scalar double-precision call, ten times slower). Cephes' expf: x = n ln2 + r with |r| <= ln2 / 2, a
 * degree-7 polynomial for e^r, and 2^n built from its exponent bits. C2 (JDK 17) vectorises a loop only
 * if every array in it is indexed alike and it has no int-float conversion, hence the two loops and the
 * float that carries n in its low mantissa bits. C2 leaves the second loop (the exponent bits) scalar; with the
 * Vector API loaded ({@link Simd}) {@link VectorLoops#exp} does both steps on whole vectors, with the same results.
 */
public final class FloatExp {
  /** Inputs are clamped here, so that 2^n stays a normal float: exp(-87) = 1.6e-38, exp(87) = 6.1e37. */
  public static final float LIMIT = 87f;
  static final float LOG2E = 1.44269504088896341f;
  /** ln 2 split so that n * LN2_HI is exact for the n that occur. */
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  /**
   * 2^23 + 127: adding it to a float in (-126.5, 128.5) rounds that to an integer n and leaves n + 127,
   * the biased exponent of 2^n, in the low mantissa bits.
   */
  static final float EXPONENT_BIAS = 8388735f;
  static final float P0 = 1.9875691500e-4f;
  static final float P1 = 1.3981999507e-3f;
  static final float P2 = 8.3334519073e-3f;
  static final float P3 = 4.1665795894e-2f;
  static final float P4 = 1.6666665459e-1f;
  static final float P5 = 5.0000001201e-1f;

  private FloatExp() {}

  /** x[i] = e^x[i] for i in [0, n); {@code exponents} is scratch of at least n floats. */
  public static void expInPlace(float[] x, int n, float[] exponents) {
    expInPlace(x, 0, n, exponents);
  }

  /** x[i] = e^x[i] for i in [from, to); {@code exponents} is scratch of at least {@code to} floats. */
  public static void expInPlace(float[] x, int from, int to, float[] exponents) {
    scalarExpInPlace(x, Simd.VECTOR_API ? VectorLoops.exp(x, from, to) : from, to, exponents);
  }

  /** e^x for one value, with the same steps and result as the loops. */
  static float exp(float x) {
    float biased = biasedExponent(x);
    return reducedExp(x, biased) * twoTo(biased);
  }

  /** As {@link #expInPlace(float[], int, int, float[])} in plain Java loops, with or without the Vector API. */
  static void scalarExpInPlace(float[] x, int from, int to, float[] exponents) {
    for (int i = from; i < to; i++) {
      float biased = biasedExponent(x[i]);
      x[i] = reducedExp(x[i], biased);
      exponents[i] = biased;
    }
    for (int i = from; i < to; i++) {
      x[i] *= twoTo(exponents[i]);
    }
  }

  /** n + 127 in the low mantissa bits of 2^23 + 127 + n, n = round(x / ln 2) of x clamped to the limits. */
  private static float biasedExponent(float x) {
    return clamp(x) * LOG2E + EXPONENT_BIAS;
  }

  /** e^r for r = x - n ln 2 (x clamped), n from {@link #biasedExponent}. */
  private static float reducedExp(float x, float biased) {
    float v = clamp(x);
    float k = biased - EXPONENT_BIAS;
    float r = (v - k * LN2_HI) - k * LN2_LO;
    float p = ((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5;
    return (p * r * r + r) + 1f;
  }

  /** 2^n: the biased exponent, moved from the low mantissa bits to the exponent field. */
  private static float twoTo(float biased) {
    return Float.intBitsToFloat(Float.floatToRawIntBits(biased) << 23);
  }

  private static float clamp(float x) {
    return Math.max(-LIMIT, Math.min(LIMIT, x));
  }
}
