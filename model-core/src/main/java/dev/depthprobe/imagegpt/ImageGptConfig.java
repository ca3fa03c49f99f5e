package dev.depthprobe.imagegpt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.ConfigValues;

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
  /** Upper bounds of config.json's sizes: far above any released ImageGPT, low enough that no product overflows. */
  private static final int MAX_WIDTH = 1 << 16;
  private static final int MAX_VOCAB = 1 << 20;
  private static final int MAX_POSITIONS = 1 << 20;

  public ImageGptConfig {
    if (vocabSize < 2 || nPositions < 1 || nEmbd < 1 || nLayer < 1 || nHead < 1 || nInner < 1) {
      throw new CheckpointException("config.json: sizes must be positive (vocab_size " + vocabSize
          + ", n_positions " + nPositions + ", n_embd " + nEmbd + ", n_layer " + nLayer + ", n_head " + nHead
          + ", n_inner " + nInner + ")");
    }
    if (nEmbd % nHead != 0) {
      throw new CheckpointException("config.json: n_embd " + nEmbd + " is not divisible by n_head " + nHead);
    }
    if (!QUICK_GELU.equals(activationFunction)) {
      throw new CheckpointException("config.json: activation_function '" + activationFunction
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
    ConfigValues values = new ConfigValues(json, "config.json");
    int nEmbd = values.integer("n_embd", 512, 1, MAX_WIDTH);
    JsonNode activation = json.path("activation_function");
    if (!activation.isMissingNode() && !activation.isNull() && !activation.isTextual()) {
      throw values.invalid("activation_function", "is " + activation + "; must be a string");
    }
    return new ImageGptConfig(
        values.integer("vocab_size", 513, 2, MAX_VOCAB),
        values.integer("n_positions", 1024, 1, MAX_POSITIONS),
        nEmbd,
        values.integer("n_layer", 24, 1, 1024),
        values.integer("n_head", 8, 1, MAX_WIDTH),
        values.integer("n_inner", 4 * nEmbd, 1, 4 * MAX_WIDTH),
        activation.asText(QUICK_GELU),
        values.positiveNumber("layer_norm_epsilon", 1e-5, 1),
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
