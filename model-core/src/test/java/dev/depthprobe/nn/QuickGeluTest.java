package dev.depthprobe.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthprobe.compute.Parallel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The MLP's activation against transformers' formula, {@code x * sigmoid(1.702 * x)}, in double precision. */
class QuickGeluTest {

  @Test
  void matchesXTimesSigmoidOf1702XOverSeveralChunksOnTwoThreads() {
    // 9001 values: two full chunks of 4096 and a partial one; -100 and 100 exercise exp's clamping
    INDArray x = Nd4j.linspace(DataType.FLOAT, -100, 100, 9001);
    float[] input = x.toFloatVector();

    Parallel.withThreads(2, () -> {
      QuickGelu.applyInPlace(x);
      return null;
    });

    float[] output = x.toFloatVector();
    for (int i = 0; i < input.length; i++) {
      double expected = input[i] / (1 + Math.exp(-1.702 * input[i]));
      assertEquals(expected, output[i], 1e-6 * Math.max(1, Math.abs(expected)), "x = " + input[i]);
    }
  }
}
