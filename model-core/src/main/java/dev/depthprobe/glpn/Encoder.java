package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * transformers GLPNEncoder (the Mix Transformer): per stage, an overlapping patch embedding, the stage's
 * layers, a LayerNorm, and the tokens reshaped back to NCHW.
 */
final class Encoder {
  private final List<OverlapPatchEmbeddings> patchEmbeddings;
  private final List<List<EncoderLayer>> block;
  private final List<LayerNorm> layerNorm;

  Encoder(StateDict weights, String prefix, GlpnConfig config) {
    List<OverlapPatchEmbeddings> embeddings = new ArrayList<>();
    List<List<EncoderLayer>> blocks = new ArrayList<>();
    List<LayerNorm> norms = new ArrayList<>();
    for (int i = 0; i < config.numEncoderBlocks(); i++) {
      embeddings.add(new OverlapPatchEmbeddings(weights, prefix + ".patch_embeddings." + i, config.patchSizes()[i],
          config.strides()[i], config.patchEmbeddingChannels(i), config.hiddenSizes()[i]));
      List<EncoderLayer> layers = new ArrayList<>();
      for (int j = 0; j < config.depths()[i]; j++) {
        layers.add(new EncoderLayer(weights, prefix + ".block." + i + "." + j, config.hiddenSizes()[i],
            config.numAttentionHeads()[i], config.srRatios()[i], config.mlpHiddenSize(i)));
      }
      blocks.add(List.copyOf(layers));
      norms.add(new LayerNorm(weights, prefix + ".layer_norm." + i, config.hiddenSizes()[i]));
    }
    this.patchEmbeddings = List.copyOf(embeddings);
    this.block = List.copyOf(blocks);
    this.layerNorm = List.copyOf(norms);
  }

  /**
   * pixels (B, C, H, W) -> every stage's hidden state (B, hidden_size_i, H_i, W_i), transformers'
   * {@code hidden_states}, allocated in the current workspace.
   */
  List<INDArray> forward(INDArray pixelValues) {
    List<INDArray> hiddenStates = new ArrayList<>();
    INDArray stageInput = pixelValues;
    for (int i = 0; i < patchEmbeddings.size(); i++) {
      Tokens tokens;
      try (MemoryWorkspace ignored = ForwardWorkspaces.block()) {
        Tokens embedded = patchEmbeddings.get(i).forward(stageInput);
        tokens = embedded.with(ForwardWorkspaces.keep(embedded.values()));
      }
      for (EncoderLayer layer : block.get(i)) {
        layer.forwardInPlace(tokens);
      }
      try (MemoryWorkspace ignored = ForwardWorkspaces.block()) {
        // (B*H*W, C) -> (B, C, H, W)
        stageInput = ForwardWorkspaces.keep(layerNorm.get(i).forward(tokens).toNchw());
      }
      hiddenStates.add(stageInput);
    }
    return hiddenStates;
  }
}
