package dev.depthprobe.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatExpTest {
  @Test
  void vectorApiExpGivesThePlainJavaLoopsResultsBitForBit() {
    assertTrue(Simd.VECTOR_API, "the tests run with --add-modules=jdk.incubator.vector (pom.xml's test.jvm.args)");
    Random random = new Random(13);
    for (int n : new int[] {1, 15, 16, 17, 19, 100, 300, 1000}) {
      float[] x = new float[n + 3];
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextFloat() * 200f - 100f;
      }
      float[] vector = x.clone();
      float[] scalar = x.clone();
      FloatExp.expInPlace(vector, 3, n + 3, new float[n + 3]);
      FloatExp.scalarExpInPlace(scalar, 3, n + 3, new float[n + 3]);
      for (int i = 0; i < x.length; i++) {
        assertEquals(Float.floatToIntBits(scalar[i]), Float.floatToIntBits(vector[i]), "exp(" + x[i] + "), n " + n);
      }
    }
  }

  @Test
  void expIsWithinTwoUlpOfMathExpOverTheUnclampedRange() {
    int n = (int) (2 * FloatExp.LIMIT / 1e-3f);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -FloatExp.LIMIT + i * 1e-3f;
    }
    float[] y = x.clone();
    FloatExp.expInPlace(y, n, new float[n]);
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double exact = Math.exp(x[i]);
      worst = Math.max(worst, Math.abs(y[i] - exact) / Math.ulp((float) exact));
    }
    assertTrue(worst <= 2, "worst error " + worst + " ulp");
  }

  @Test
  void expClampsBeyondTheLimitAndIsExactAtZero() {
    float[] x = {-1000f, -FloatExp.LIMIT, Float.POSITIVE_INFINITY, FloatExp.LIMIT, 0f};
    FloatExp.expInPlace(x, x.length, new float[x.length]);
    assertEquals(x[1], x[0]);
    assertEquals(x[3], x[2]);
    assertEquals(1f, x[4]);
  }
}
