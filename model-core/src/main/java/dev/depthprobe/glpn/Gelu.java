package dev.depthprobe.glpn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;

/**
 * transformers GELUActivation ({@code ACT2FN["gelu"]}): the exact form {@code x * 0.5 * (1 + erf(x / sqrt(2)))}.
 * ND4J's GELU op is the sigmoid approximation, so this is built from its erf.
 */
final class Gelu {
  private static final float SQRT1_2 = (float) Math.sqrt(0.5);

  private Gelu() {}

  /** A new array holding gelu(x); {@code x} is unchanged. */
  static INDArray forward(INDArray x) {
    INDArray cdf = x.mul(SQRT1_2);
    Nd4j.exec(new Erf(cdf, cdf));
    return cdf.addi(1f).muli(x).muli(0.5f);
  }
}
