package dev.depthprobe.imagegpt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.CheckpointException;

/**
 * The fields of {@code config.json} the ImageGPT forward pass reads; mirrors transformers'
 * {@code ImageGPTConfig}, whose defaults apply to absent fields.
 */
public record ImageGptConfig(
    int vocabSize,
    int nPositions,
    int nEmbd,
    int nLayer,
    int nHead,
    int nInner,
    String activationFunction,
    double layerNormEpsilon,
    boolean scaleAttnWeights,
    boolean scaleAttnByInverseLayerIdx,
    boolean reorderAndUpcastAttn) {

  public static final String QUICK_GELU = "quick_gelu";

  public ImageGptConfig {
    if (vocabSize < 2 || nPositions < 1 || nEmbd < 1 || nLayer < 1 || nHead < 1 || nInner < 1) {
      throw new CheckpointException("ImageGPT config: sizes must be positive (vocab_size " + vocabSize
          + ", n_positions " + nPositions + ", n_embd " + nEmbd + ", n_layer " + nLayer + ", n_head " + nHead
          + ", n_inner " + nInner + ")");
    }
    if (nEmbd % nHead != 0) {
      throw new CheckpointException("ImageGPT config: n_embd " + nEmbd + " is not divisible by n_head " + nHead);
    }
    if (!QUICK_GELU.equals(activationFunction)) {
      throw new CheckpointException("ImageGPT config: activation_function '" + activationFunction
          + "' is not supported (only quick_gelu)");
    }
  }

  /** Reads {@code config.json}; rejects other model types and options this port does not run. */
  public static ImageGptConfig fromJson(JsonNode json) {
    String modelType = json.path("model_type").asText("");
    if (!modelType.equals("imagegpt")) {
      throw new CheckpointException("config.json: model_type is '" + modelType + "', expected 'imagegpt'");
    }
    if (json.path("add_cross_attention").asBoolean(false)) {
      throw new CheckpointException("config.json: add_cross_attention=true is not supported");
    }
    int nEmbd = json.path("n_embd").asInt(512);
    JsonNode nInner = json.path("n_inner");
    return new ImageGptConfig(
        json.path("vocab_size").asInt(513),
        json.path("n_positions").asInt(1024),
        nEmbd,
        json.path("n_layer").asInt(24),
        json.path("n_head").asInt(8),
        nInner.isNull() || nInner.isMissingNode() ? 4 * nEmbd : nInner.asInt(),
        json.path("activation_function").asText(QUICK_GELU),
        json.path("layer_norm_epsilon").asDouble(1e-5),
        json.path("scale_attn_weights").asBoolean(true),
        json.path("scale_attn_by_inverse_layer_idx").asBoolean(false),
        // only reorders the float32 score computation: accepted, same numbers within rounding
        json.path("reorder_and_upcast_attn").asBoolean(false));
  }

  public int headDim() {
    return nEmbd / nHead;
  }

  /** The start-of-sequence id: the last one of the vocabulary, never produced by the image processor. */
  public int sosId() {
    return vocabSize - 1;
  }
}
