package dev.depthprobe.imagegpt;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.nn.Conv1d;
import dev.depthprobe.nn.QuickGelu;
import org.nd4j.linalg.api.ndarray.INDArray;

/** transformers ImageGPTMLP: c_fc, quick_gelu, c_proj. */
final class ImageGptMlp {
  private final Conv1d cFc;
  private final Conv1d cProj;

  ImageGptMlp(StateDict weights, String prefix, ImageGptConfig config) {
    this.cFc = new Conv1d(weights, prefix + ".c_fc", config.nEmbd(), config.nInner());
    this.cProj = new Conv1d(weights, prefix + ".c_proj", config.nInner(), config.nEmbd());
  }

  /** x (rows, n_embd), the ln_2 output -> {@code residual} (rows, n_embd) += mlp(x). */
  void forward(INDArray x, ImageGptState state, INDArray residual) {
    cFc.forward(x, state.inner); // (rows, n_inner)
    QuickGelu.applyInPlace(state.inner);
    cProj.forwardAdd(state.inner, residual);
  }
}
