package dev.depthprobe.jobs.bench;

import dev.depthprobe.imagegpt.ImageGptConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a transformers {@code ImageGPTModel} checkpoint for a config, named and shaped as its
 * {@code state_dict()} without the attention-mask buffers. GPT-2's Conv1D stores weights (in, out).
 */
public final class ImageGptCheckpointLayout {
  private ImageGptCheckpointLayout() {}

  public static List<TensorSpec> of(ImageGptConfig config) {
    int e = config.nEmbd();
    List<TensorSpec> tensors = new ArrayList<>();
    tensors.add(TensorSpec.normal("wte.weight", config.vocabSize(), e));
    tensors.add(TensorSpec.normal("wpe.weight", config.nPositions(), e));
    for (int i = 0; i < config.nLayer(); i++) {
      String block = "h." + i;
      tensors.add(TensorSpec.ones(block + ".ln_1.weight", e)); // ImageGPTLayerNorm has no bias
      conv1d(tensors, block + ".attn.c_attn", e, 3 * e);
      conv1d(tensors, block + ".attn.c_proj", e, e);
      tensors.add(TensorSpec.ones(block + ".ln_2.weight", e));
      conv1d(tensors, block + ".mlp.c_fc", e, config.nInner());
      conv1d(tensors, block + ".mlp.c_proj", config.nInner(), e);
    }
    tensors.add(TensorSpec.ones("ln_f.weight", e));
    return List.copyOf(tensors);
  }

  private static void conv1d(List<TensorSpec> tensors, String prefix, int in, int out) {
    tensors.add(TensorSpec.normal(prefix + ".weight", in, out));
    tensors.add(TensorSpec.zeros(prefix + ".bias", out));
  }
}
