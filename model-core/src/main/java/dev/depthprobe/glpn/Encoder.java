package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.nn.ForwardWorkspaces;
import dev.depthprobe.nn.LayerNorm;
import dev.depthprobe.nn.Tokens;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

/**
 * transformers GLPNEncoder (the Mix Transformer): per stage, an overlapping patch embedding, the stage's
 * layers and a LayerNorm. The stages stay tokens (channels last); transformers' NCHW hidden states are
 * made only for {@link GlpnForDepthEstimation#forwardWithHiddenStates}.
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
   * pixels as tokens (B*H*W, C) -> every stage's hidden state as tokens (B*H_i*W_i, hidden_size_i),
   * transformers' {@code hidden_states}, allocated in the current workspace.
   */
  List<Tokens> forward(Tokens pixelValues) {
    List<Tokens> hiddenStates = new ArrayList<>();
    Tokens stageInput = pixelValues;
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
        Tokens normed = layerNorm.get(i).forward(tokens);
        stageInput = normed.with(ForwardWorkspaces.keep(normed.values()));
      }
      hiddenStates.add(stageInput);
    }
    return hiddenStates;
  }
}
