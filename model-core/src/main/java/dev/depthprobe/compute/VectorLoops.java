package dev.depthprobe.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops HotSpot's auto-vectoriser leaves scalar or half done, on the JDK's Vector API: exp's exponent bits, a
 * multiply-add at an offset (no copy into an aligned scratch first), float sums and maxima, and a softmax along a
 * row. Used only where {@link Simd#VECTOR_API} says the module is loaded: this class cannot load without it. Every
 * product and sum is rounded on its own, as Java's scalar arithmetic does, so exp and the multiply-add give exactly
 * the scalar loops' results; the sums add in another order.
 */
public final class VectorLoops {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = FLOATS.length();
  /** One vector's lanes, for the values left over after a range's whole vectors. */
  private static final ThreadScratch TAIL = new ThreadScratch();
  /** The fewest left-over values for which one more vector costs less than their scalar steps. */
  private static final int MIN_VECTOR_TAIL = 4;

  private VectorLoops() {}

  static int bits() {
    return FLOATS.vectorBitSize();
  }

  /**
   * {@link FloatExp}'s steps on whole vectors of x[from, to); returns the first index not done (fewer than
   * {@link #MIN_VECTOR_TAIL} remain). Values left over after the whole vectors take one more vector, through a
   * copy, instead of the plain loop's scalar steps, several times slower a value: the 12 left over of a 300-key
   * attention row cost a fifth of the row's softmax.
   */
  static int exp(float[] x, int from, int to) {
    int wholeEnd = from + (to - from) / LANES * LANES;
    for (int i = from; i < wholeEnd; i += LANES) {
      FloatVector v = FloatVector.fromArray(FLOATS, x, i).max(-FloatExp.LIMIT).min(FloatExp.LIMIT);
      FloatVector biased = v.mul(FloatExp.LOG2E).add(FloatExp.EXPONENT_BIAS);
      FloatVector k = biased.sub(FloatExp.EXPONENT_BIAS);
      FloatVector r = v.sub(k.mul(FloatExp.LN2_HI)).sub(k.mul(FloatExp.LN2_LO));
      FloatVector p = r.mul(FloatExp.P0).add(FloatExp.P1).mul(r).add(FloatExp.P2).mul(r).add(FloatExp.P3).mul(r)
          .add(FloatExp.P4).mul(r).add(FloatExp.P5);
      FloatVector e = p.mul(r).mul(r).add(r).add(1f);
      // 2^k: the biased exponent, moved from the low mantissa bits to the exponent field
      FloatVector twoToK = biased.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      e.mul(twoToK).intoArray(x, i);
    }
    int left = to - wholeEnd;
    if (left < MIN_VECTOR_TAIL) {
      return wholeEnd;
    }
    float[] tail = TAIL.floats(LANES); // its other lanes hold earlier values, computed and dropped
    System.arraycopy(x, wholeEnd, tail, 0, left);
    exp(tail, 0, LANES);
    System.arraycopy(tail, 0, x, wholeEnd, left);
    return to;
  }

  /**
   * softmax(scale * x) over x[from, from + n) in place, as {@link Softmax}'s columns compute it (the maximum
   * subtracted first, then 1 / the sum of the exponentials as the factor), with the max and the sum reduced across
   * lanes.
   */
  static void softmax(float[] x, int from, int n, float scale) {
    int end = from + n;
    int vectorEnd = from + n / LANES * LANES;
    FloatVector maxes = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
    for (int i = from; i < vectorEnd; i += LANES) {
      maxes = maxes.max(FloatVector.fromArray(FLOATS, x, i));
    }
    float max = maxes.reduceLanes(VectorOperators.MAX);
    for (int i = vectorEnd; i < end; i++) {
      max = Math.max(max, x[i]);
    }
    float shift = max * scale;
    for (int i = from; i < vectorEnd; i += LANES) {
      FloatVector.fromArray(FLOATS, x, i).mul(scale).sub(shift).intoArray(x, i);
    }
    for (int i = vectorEnd; i < end; i++) {
      x[i] = x[i] * scale - shift;
    }
    for (int i = exp(x, from, end); i < end; i++) {
      x[i] = FloatExp.exp(x[i]);
    }
    float inverse = 1f / sum(x, from, n);
    for (int i = from; i < vectorEnd; i += LANES) {
      FloatVector.fromArray(FLOATS, x, i).mul(inverse).intoArray(x, i);
    }
    for (int i = vectorEnd; i < end; i++) {
      x[i] *= inverse;
    }
  }

  /** acc[accFrom + i] += a[aFrom + i] * b[i] for i in [0, n). */
  public static void multiplyAdd(float[] acc, int accFrom, float[] a, int aFrom, float[] b, int n) {
    int i = 0;
    for (; i <= n - LANES; i += LANES) {
      FloatVector product = FloatVector.fromArray(FLOATS, a, aFrom + i).mul(FloatVector.fromArray(FLOATS, b, i));
      FloatVector.fromArray(FLOATS, acc, accFrom + i).add(product).intoArray(acc, accFrom + i);
    }
    for (; i < n; i++) {
      acc[accFrom + i] += a[aFrom + i] * b[i];
    }
  }

  /** The sum of x[0, n). */
  public static float sum(float[] x, int n) {
    return sum(x, 0, n);
  }

  private static float sum(float[] x, int from, int n) {
    FloatVector sums = FloatVector.zero(FLOATS);
    int i = from;
    for (; i <= from + n - LANES; i += LANES) {
      sums = sums.add(FloatVector.fromArray(FLOATS, x, i));
    }
    float sum = sums.reduceLanes(VectorOperators.ADD);
    for (; i < from + n; i++) {
      sum += x[i];
    }
    return sum;
  }

  /** The sum of (x[i] - mean)^2 over [0, n). */
  public static float squaredDeviations(float[] x, float mean, int n) {
    FloatVector sums = FloatVector.zero(FLOATS);
    int i = 0;
    for (; i <= n - LANES; i += LANES) {
      FloatVector d = FloatVector.fromArray(FLOATS, x, i).sub(mean);
      sums = sums.add(d.mul(d));
    }
    float sum = sums.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float d = x[i] - mean;
      sum += d * d;
    }
    return sum;
  }
}
