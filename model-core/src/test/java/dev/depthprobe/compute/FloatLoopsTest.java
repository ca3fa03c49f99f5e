package dev.depthprobe.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatLoopsTest {
  @Test
  void multiplyAddOnTheVectorApiGivesThePlainLoopsResultsBitForBit() {
    assertTrue(Simd.VECTOR_API, "the tests run with --add-modules=jdk.incubator.vector (pom.xml's test.jvm.args)");
    Random random = new Random(7);
    for (int n : new int[] {1, 15, 16, 33, 1280}) {
      float[] a = new float[n + 9];
      float[] b = new float[n];
      float[] acc = new float[n];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) random.nextGaussian();
      }
      for (int i = 0; i < n; i++) {
        b[i] = (float) random.nextGaussian();
        acc[i] = (float) random.nextGaussian();
      }
      float[] plain = acc.clone();
      float[] tap = new float[n];
      System.arraycopy(a, 9, tap, 0, n);
      FloatLoops.plainMultiplyAdd(plain, tap, b, n);
      FloatLoops.multiplyAdd(acc, a, 9, b, n, new float[n]);
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToIntBits(plain[i]), Float.floatToIntBits(acc[i]), "n " + n + " [" + i + "]");
      }
    }
  }

  @Test
  void plainSumsStopAtTheirLengthAndMatchDoublePrecision() {
    float[] x = {1.5f, -2f, 3.25f, 4f, 0.5f, 100f, 100f};
    assertEquals(7.25f, FloatLoops.plainSum(x, 5));
    float mean = 7.25f / 5;
    double deviations = 0;
    for (int i = 0; i < 5; i++) {
      deviations += (x[i] - mean) * (double) (x[i] - mean);
    }
    assertEquals(deviations, FloatLoops.plainSquaredDeviations(x, mean, 5), 1e-6 * deviations);
  }
}
