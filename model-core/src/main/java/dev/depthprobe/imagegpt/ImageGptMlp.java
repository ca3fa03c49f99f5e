package dev.depthprobe.imagegpt;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** transformers ImageGPTMLP: c_fc, quick_gelu, c_proj. */
final class ImageGptMlp {
  private static final float QUICK_GELU_SLOPE = 1.702f;

  private final Conv1d cFc;
  private final Conv1d cProj;

  ImageGptMlp(StateDict weights, String prefix, ImageGptConfig config) {
    this.cFc = new Conv1d(weights, prefix + ".c_fc", config.nEmbd(), config.nInner());
    this.cProj = new Conv1d(weights, prefix + ".c_proj", config.nInner(), config.nEmbd());
  }

  /** (rows, n_embd) -> (rows, n_embd). */
  INDArray forward(INDArray x) {
    INDArray hidden = cFc.forward(x); // (rows, n_inner)
    // quick_gelu: x * sigmoid(1.702 * x)
    INDArray gate = Transforms.sigmoid(hidden.mul(QUICK_GELU_SLOPE), false);
    return cProj.forward(hidden.muli(gate));
  }
}
