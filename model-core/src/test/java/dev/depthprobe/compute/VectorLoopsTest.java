package dev.depthprobe.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorLoopsTest {
  private static float[] random(int n, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian() * 3f + 1f;
    }
    return x;
  }

  @Test
  void multiplyAddAtAnOffsetIsThePlainLoopBitForBit() {
    for (int n : new int[] {1, 15, 16, 33, 1280}) {
      float[] a = random(n + 7, 1);
      float[] b = random(n, 2);
      float[] acc = random(n + 5, 3);
      float[] expected = acc.clone();
      for (int i = 0; i < n; i++) {
        expected[5 + i] += a[7 + i] * b[i];
      }
      VectorLoops.multiplyAdd(acc, 5, a, 7, b, n);
      for (int i = 0; i < acc.length; i++) {
        assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(acc[i]), "n " + n + " [" + i + "]");
      }
    }
  }

  @Test
  void sumsMatchDoublePrecisionSums() {
    for (int n : new int[] {1, 15, 16, 17, 320, 1281}) {
      float[] x = random(n, n);
      double sum = 0;
      double magnitudes = 0;
      for (float v : x) {
        sum += v;
        magnitudes += Math.abs(v);
      }
      float mean = (float) (sum / n);
      double deviations = 0;
      for (float v : x) {
        deviations += (v - mean) * (double) (v - mean);
      }
      // float32 sums over 16 lanes: a few rounding errors of the magnitudes summed, far below 1e-6 of them
      assertEquals(sum, VectorLoops.sum(x, n), 1e-6 * magnitudes, "sum of " + n);
      assertEquals(deviations, VectorLoops.squaredDeviations(x, mean, n), 1e-6 * deviations, "deviations of " + n);
    }
  }
}
