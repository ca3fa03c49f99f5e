package dev.depthprobe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Float vectors compared as the parity tests compare them. Shared through model-core's test jar. */
public final class FloatArrays {
  private FloatArrays() {}

  /** Every element of {@code actual} within {@code relative} times {@code expected}'s largest magnitude. */
  public static void assertClose(float[] expected, float[] actual, double relative, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], relative * scale, what + " [" + i + "]");
    }
  }
}
