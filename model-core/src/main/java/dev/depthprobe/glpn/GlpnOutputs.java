package dev.depthprobe.glpn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything one GLPN forward pass computes, as transformers exposes it: {@code encoderHiddenStates}
 * ({@code outputs.hidden_states}, NCHW per stage), {@code decoderStages} (GLPNDecoder's output list, the
 * last entry after final_upsample) and {@code predictedDepth} (B, H, W).
 */
public record GlpnOutputs(List<INDArray> encoderHiddenStates, List<INDArray> decoderStages,
    INDArray predictedDepth) {}
