package dev.depthprobe.imagegpt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELU;
import org.nd4j.linalg.factory.Nd4j;

/** The MLP's activation: libnd4j's GELU op, which ImageGptMlp relies on being transformers' quick_gelu. */
class ImageGptMlpTest {

  @Test
  void nd4jGeluIsQuickGelu() {
    INDArray x = Nd4j.linspace(DataType.FLOAT, -12, 12, 2401);
    float[] input = x.toFloatVector();

    float[] gelu = Nd4j.exec(new GELU(x, x.ulike())).toFloatVector();

    for (int i = 0; i < input.length; i++) {
      double quickGelu = input[i] / (1 + Math.exp(-1.702 * input[i])); // x * sigmoid(1.702 * x)
      assertEquals(quickGelu, gelu[i], 1e-6 * Math.max(1, Math.abs(quickGelu)), "x = " + input[i]);
    }
  }
}
