package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

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
   * Encoder hidden states (shallowest first) -> every stage's output in order, each (B, D, H_i, W_i) in
   * the current workspace; the last one is still to be upsampled by final_upsample.
   */
  List<INDArray> forward(List<INDArray> encoderHiddenStates) {
    List<INDArray> outputs = new ArrayList<>();
    INDArray stageHiddenState = null;
    for (int s = 0; s < stages.size(); s++) {
      INDArray hiddenState = encoderHiddenStates.get(encoderHiddenStates.size() - 1 - s);
      stageHiddenState = stages.get(s).forward(hiddenState, stageHiddenState);
      outputs.add(stageHiddenState);
    }
    return outputs;
  }
}
