package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.nn.Tokens;
import java.util.ArrayList;
import java.util.List;

/**
 * transformers GLPNDecoder: one stage per encoder state, deepest first, each fusing the previous
 * stage's output. Its {@code final_upsample} of the last output is left to {@link DepthEstimationHead},
 * which applies it band by band.
 */
final class Decoder {
  private final List<DecoderStage> stages;

  Decoder(StateDict weights, String prefix, GlpnConfig config) {
    List<DecoderStage> list = new ArrayList<>();
    int n = config.numEncoderBlocks();
    for (int s = 0; s < n; s++) {
      // we use features from end -> start
      int inChannels = config.hiddenSizes()[n - 1 - s];
      list.add(new DecoderStage(weights, prefix + ".stages." + s, inChannels, config.decoderHiddenSize(), s > 0));
    }
    this.stages = List.copyOf(list);
  }

  /**
   * Encoder hidden states (shallowest first) -> every stage's output in order, each as tokens
   * (B*H_i*W_i, D) in the current workspace; the last one is still to be upsampled by final_upsample.
   */
  List<Tokens> forward(List<Tokens> encoderHiddenStates) {
    List<Tokens> outputs = new ArrayList<>();
    Tokens stageHiddenState = null;
    for (int s = 0; s < stages.size(); s++) {
      Tokens hiddenState = encoderHiddenStates.get(encoderHiddenStates.size() - 1 - s);
      stageHiddenState = stages.get(s).forward(hiddenState, stageHiddenState);
      outputs.add(stageHiddenState);
    }
    return outputs;
  }
}
