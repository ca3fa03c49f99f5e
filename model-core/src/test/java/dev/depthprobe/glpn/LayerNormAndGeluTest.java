package dev.depthprobe.glpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayerNormAndGeluTest {
  @Test
  void layerNormUsesPyTorchsDefaultEpsNotTheConfigs() {
    // a row whose variance (1e-6) is comparable to eps: eps 1e-5 and 1e-6 give clearly different results
    float[] row = {0.001f, -0.001f, 0.001f, -0.001f};
    float[] weight = {1f, 2f, 0.5f, 1f};
    float[] bias = {0f, 0.1f, 0f, -0.1f};
    LayerNorm norm = new LayerNorm(new StateDict("test", Map.of(
        "ln.weight", tensor("ln.weight", weight), "ln.bias", tensor("ln.bias", bias))), "ln", 4);
    INDArray out = norm.forward(Nd4j.create(row, new long[] {1, 4}, 'c'));
    for (int c = 0; c < 4; c++) {
      double expected = row[c] / Math.sqrt(1e-6 + 1e-5) * weight[c] + bias[c];
      assertEquals(expected, out.getDouble(0, c), 1e-6, "channel " + c);
    }
    assertTrue(Math.abs(out.getDouble(0, 0) - 0.001 / Math.sqrt(2e-6)) > 0.3, "eps 1e-6 would give 0.707");
  }

  @Test
  void geluIsTheExactErfForm() {
    float[] x = {-4f, -1.5f, -0.5f, 0f, 0.3f, 1f, 2.5f, 6f};
    // x * 0.5 * (1 + erf(x / sqrt(2))) in float64; the tanh approximation differs by 2.2e-4 at -1.5
    // and 1.5e-4 at 1, the sigmoid one (ND4J's GELU op) by more
    double[] expected = {-1.2668496733247991e-4, -0.10021080190328713, -0.15426876936299344, 0,
        0.18537342665668577, 0.8413447460685429, 2.4844758366855597, 5.999999994080474};
    INDArray out = Gelu.forward(Nd4j.createFromArray(x));
    for (int i = 0; i < x.length; i++) {
      assertEquals(expected[i], out.getDouble(i), 1e-6, "gelu(" + x[i] + ")");
    }
  }

  private static Tensor tensor(String name, float[] values) {
    return new Tensor(name, new long[] {values.length}, FloatBuffer.wrap(values));
  }
}
