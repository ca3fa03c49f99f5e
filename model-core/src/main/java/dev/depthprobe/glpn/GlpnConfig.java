package dev.depthprobe.glpn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.CheckpointException;
import java.util.Arrays;

/**
 * The fields of {@code config.json} the GLPN forward pass reads; mirrors transformers'
 * {@code GLPNConfig}, whose defaults apply to absent fields. Per-stage lists are indexed by encoder
 * stage. {@code layer_norm_eps} is deliberately absent: the modeling code never reads it.
 */
public record GlpnConfig(
    int numChannels,
    int numEncoderBlocks,
    int[] depths,
    int[] srRatios,
    int[] hiddenSizes,
    int[] patchSizes,
    int[] strides,
    int[] numAttentionHeads,
    double[] mlpRatios,
    String hiddenAct,
    int decoderHiddenSize,
    double maxDepth,
    int headInIndex) {

  public static final String GELU = "gelu";

  public GlpnConfig {
    int n = numEncoderBlocks;
    if (numChannels < 1 || n < 1 || decoderHiddenSize < 2 || !(maxDepth > 0)) {
      throw new CheckpointException("GLPN config: num_channels " + numChannels + ", num_encoder_blocks " + n
          + ", decoder_hidden_size " + decoderHiddenSize + " and max_depth " + maxDepth + " must be positive");
    }
    requireLength("depths", depths.length, n);
    requireLength("sr_ratios", srRatios.length, n);
    requireLength("hidden_sizes", hiddenSizes.length, n);
    requireLength("patch_sizes", patchSizes.length, n);
    requireLength("strides", strides.length, n);
    requireLength("num_attention_heads", numAttentionHeads.length, n);
    requireLength("mlp_ratios", mlpRatios.length, n);
    for (int i = 0; i < n; i++) {
      if (depths[i] < 0 || srRatios[i] < 1 || hiddenSizes[i] < 1 || patchSizes[i] < 1 || strides[i] < 1
          || numAttentionHeads[i] < 1 || !(mlpRatios[i] > 0)) {
        throw new CheckpointException("GLPN config: stage " + i + " has a non-positive size");
      }
      if (hiddenSizes[i] % numAttentionHeads[i] != 0) {
        // transformers: ValueError in GLPNEfficientSelfAttention
        throw new CheckpointException("GLPN config: the hidden size (" + hiddenSizes[i]
            + ") is not a multiple of the number of attention heads (" + numAttentionHeads[i] + ")");
      }
    }
    if (!GELU.equals(hiddenAct)) {
      throw new CheckpointException("GLPN config: hidden_act '" + hiddenAct + "' is not supported (only gelu)");
    }
    if (headInIndex < -n || headInIndex >= n) {
      throw new CheckpointException("GLPN config: head_in_index " + headInIndex + " is out of range for "
          + n + " decoder stages");
    }
  }

  /** Reads {@code config.json}; rejects other model types. */
  public static GlpnConfig fromJson(JsonNode json) {
    String modelType = json.path("model_type").asText("");
    if (!modelType.equals("glpn")) {
      throw new CheckpointException("config.json: model_type is '" + modelType + "', expected 'glpn'");
    }
    return new GlpnConfig(
        json.path("num_channels").asInt(3),
        json.path("num_encoder_blocks").asInt(4),
        ints(json, "depths", 2, 2, 2, 2),
        ints(json, "sr_ratios", 8, 4, 2, 1),
        ints(json, "hidden_sizes", 32, 64, 160, 256),
        ints(json, "patch_sizes", 7, 3, 3, 3),
        ints(json, "strides", 4, 2, 2, 2),
        ints(json, "num_attention_heads", 1, 2, 5, 8),
        doubles(json, "mlp_ratios", 4, 4, 4, 4),
        json.path("hidden_act").asText(GELU),
        json.path("decoder_hidden_size").asInt(64),
        json.path("max_depth").asDouble(10),
        json.path("head_in_index").asInt(-1));
  }

  /** Input channels of stage {@code i}'s patch embedding: the image's, then the previous stage's width. */
  public int patchEmbeddingChannels(int i) {
    return i == 0 ? numChannels : hiddenSizes[i - 1];
  }

  /** Width of stage {@code i}'s Mix-FFN hidden layer, as {@code int(hidden_size * mlp_ratio)}. */
  public int mlpHiddenSize(int i) {
    return (int) (hiddenSizes[i] * mlpRatios[i]);
  }

  /** {@code head_in_index} as a non-negative decoder stage index. */
  public int headStage() {
    return headInIndex < 0 ? headInIndex + numEncoderBlocks : headInIndex;
  }

  @Override
  public String toString() {
    return "GlpnConfig[depths=" + Arrays.toString(depths) + ", hidden_sizes=" + Arrays.toString(hiddenSizes)
        + ", num_attention_heads=" + Arrays.toString(numAttentionHeads) + ", sr_ratios=" + Arrays.toString(srRatios)
        + ", patch_sizes=" + Arrays.toString(patchSizes) + ", strides=" + Arrays.toString(strides)
        + ", mlp_ratios=" + Arrays.toString(mlpRatios) + ", decoder_hidden_size=" + decoderHiddenSize
        + ", max_depth=" + maxDepth + ", head_in_index=" + headInIndex + "]";
  }

  private static void requireLength(String field, int length, int numEncoderBlocks) {
    if (length != numEncoderBlocks) {
      throw new CheckpointException("GLPN config: " + field + " has " + length + " entries but num_encoder_blocks is "
          + numEncoderBlocks);
    }
  }

  private static int[] ints(JsonNode json, String field, int... defaults) {
    JsonNode node = json.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return defaults;
    }
    if (!node.isArray()) {
      throw new CheckpointException("config.json: " + field + " must be a list, got " + node);
    }
    int[] out = new int[node.size()];
    for (int i = 0; i < out.length; i++) {
      if (!node.get(i).canConvertToInt()) {
        throw new CheckpointException("config.json: " + field + "[" + i + "] is not an integer: " + node.get(i));
      }
      out[i] = node.get(i).asInt();
    }
    return out;
  }

  private static double[] doubles(JsonNode json, String field, double... defaults) {
    JsonNode node = json.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return defaults;
    }
    if (!node.isArray()) {
      throw new CheckpointException("config.json: " + field + " must be a list, got " + node);
    }
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      if (!node.get(i).isNumber()) {
        throw new CheckpointException("config.json: " + field + "[" + i + "] is not a number: " + node.get(i));
      }
      out[i] = node.get(i).asDouble();
    }
    return out;
  }
}
