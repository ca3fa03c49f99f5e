package dev.depthprobe.nn;

import dev.depthprobe.glpn.GlpnFixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class LayerNormAndGeluTest {
  /**
   * Abramowitz and Stegun 7.1.26's 1.5e-7, plus float32 rounding of 1 - t * poly * exp(-x^2) (worst near
   * 0, where the two terms nearly cancel), as in PyTorch's vectorised erf.
   */
  private static final double ERF_ERROR = 5e-7;

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
  void layerNormMatchesTheNd4jOpsItReplaced() {
    int channels = 64;
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.randn(DataType.FLOAT, 300, channels).muli(2).addi(0.5);
    float[] weight = Nd4j.rand(DataType.FLOAT, channels).addi(0.5).toFloatVector();
    float[] bias = Nd4j.randn(DataType.FLOAT, channels).toFloatVector();
    LayerNorm norm = new LayerNorm(new StateDict("test", Map.of(
        "ln.weight", tensor("ln.weight", weight), "ln.bias", tensor("ln.bias", bias))), "ln", channels);
    INDArray centered = x.subColumnVector(x.mean(true, 1));
    INDArray rstd = Transforms.sqrt(centered.mul(centered).mean(true, 1).addi(LayerNorm.EPS), false).rdivi(1f);
    INDArray expected = centered.muliColumnVector(rstd).muliRowVector(Nd4j.createFromArray(weight))
        .addiRowVector(Nd4j.createFromArray(bias));
    GlpnFixtures.assertCloseRelative(expected, norm.forward(x), 1e-6, "layer norm vs ND4J ops");
  }

  @Test
  void geluIsTheExactErfForm() {
    float[] x = {-4f, -1.5f, -0.5f, 0f, 0.3f, 1f, 2.5f, 6f};
    // x * 0.5 * (1 + erf(x / sqrt(2))) in float64; the tanh approximation differs by 2.2e-4 at -1.5
    // and 1.5e-4 at 1, the sigmoid one (ND4J's GELU op) by more
    double[] expected = {-1.2668496733247991e-4, -0.10021080190328713, -0.15426876936299344, 0,
        0.18537342665668577, 0.8413447460685429, 2.4844758366855597, 5.999999994080474};
    float[] out = applyGelu(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(expected[i], out[i], 1e-6, "gelu(" + x[i] + ")");
    }
  }

  @Test
  void geluMatchesTheErfFormBuiltFromNd4jsErf() {
    Nd4j.getRandom().setSeed(5);
    float[] x = Nd4j.randn(DataType.FLOAT, 4096).muli(3).toFloatVector();
    // the ND4J ops this class replaced: x * 0.5 * (1 + erf(x / sqrt(2)))
    INDArray cdf = Nd4j.createFromArray(x).muli((float) Math.sqrt(0.5));
    Nd4j.exec(new Erf(cdf, cdf));
    float[] expected = cdf.addi(1f).muli(Nd4j.createFromArray(x)).muli(0.5f).toFloatVector();
    float[] out = applyGelu(x);
    for (int i = 0; i < x.length; i++) {
      // 0.5 |x| times erf's error bound, and the rounding of the product
      assertEquals(expected[i], out[i], 0.5 * Math.abs(x[i]) * ERF_ERROR + Math.ulp(expected[i]), "gelu(" + x[i] + ")");
    }
  }

  @Test
  void geluIsWithinErfsErrorBoundOfTheFloat64Form() {
    int n = 12001;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -6f + i * 1e-3f;
    }
    float[] out = applyGelu(x);
    for (int i = 0; i < n; i++) {
      double exact = 0.5 * x[i] * (1 + erf64(x[i] / Math.sqrt(2)));
      assertEquals(exact, out[i], 0.5 * Math.abs(x[i]) * ERF_ERROR + Math.ulp((float) exact), "gelu(" + x[i] + ")");
    }
  }

  @Test
  void geluCoversArraysLongerThanOneChunk() {
    float[] x = new float[3 * Gelu.CHUNK + 17];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i);
    }
    float[] out = applyGelu(x);
    for (int i = 0; i < x.length; i += 997) {
      assertEquals(0.5 * x[i] * (1 + erf64(x[i] / Math.sqrt(2))), out[i], 1e-6, "element " + i);
    }
  }

  private static float[] applyGelu(float[] x) {
    float[] values = x.clone();
    new Gelu().applyInPlace(values, values.length);
    return values;
  }

  /** erf in float64 from its series of positive terms, 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!. */
  private static double erf64(double x) {
    double term = x;
    double sum = x;
    for (int n = 1; n < 400; n++) {
      term *= 2 * x * x / (2 * n + 1);
      sum += term;
    }
    return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
  }

  private static Tensor tensor(String name, float[] values) {
    return new Tensor(name, new long[] {values.length}, FloatBuffer.wrap(values));
  }
}
