package dev.depthprobe.glpn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.ConfigValues;
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
  /** Upper bounds of config.json's sizes: far above any released GLPN, low enough that no product overflows. */
  private static final int MAX_STAGES = 16;
  private static final int MAX_WIDTH = 1 << 16;
  private static final int MAX_KERNEL = 1024;

  public GlpnConfig {
    int n = numEncoderBlocks;
    if (numChannels < 1 || n < 1 || decoderHiddenSize < 2 || !(maxDepth > 0)) {
      throw new CheckpointException("config.json: num_channels " + numChannels + ", num_encoder_blocks " + n
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
        throw new CheckpointException("config.json: stage " + i + " has a non-positive size");
      }
      if (hiddenSizes[i] % numAttentionHeads[i] != 0) {
        // transformers: ValueError in GLPNEfficientSelfAttention
        throw new CheckpointException("config.json: the hidden size (" + hiddenSizes[i]
            + ") is not a multiple of the number of attention heads (" + numAttentionHeads[i] + ")");
      }
    }
    if (!GELU.equals(hiddenAct)) {
      throw new CheckpointException("config.json: hidden_act '" + hiddenAct + "' is not supported (only gelu)");
    }
    if (headInIndex < -n || headInIndex >= n) {
      throw new CheckpointException("config.json: head_in_index " + headInIndex + " is out of range for "
          + n + " decoder stages");
    }
  }

  /** Reads {@code config.json}; rejects other model types. */
  public static GlpnConfig fromJson(JsonNode json) {
    String modelType = json.path("model_type").asText("");
    if (!modelType.equals("glpn")) {
      throw new CheckpointException("config.json: model_type is '" + modelType + "', expected 'glpn'");
    }
    ConfigValues values = new ConfigValues(json, "config.json");
    JsonNode hiddenAct = json.path("hidden_act");
    if (!hiddenAct.isMissingNode() && !hiddenAct.isNull() && !hiddenAct.isTextual()) {
      throw values.invalid("hidden_act", "is " + hiddenAct + "; must be a string");
    }
    return new GlpnConfig(
        values.integer("num_channels", 3, 1, 64),
        values.integer("num_encoder_blocks", 4, 1, MAX_STAGES),
        values.integers("depths", 0, 1024, 2, 2, 2, 2),
        values.integers("sr_ratios", 1, MAX_KERNEL, 8, 4, 2, 1),
        values.integers("hidden_sizes", 1, MAX_WIDTH, 32, 64, 160, 256),
        values.integers("patch_sizes", 1, MAX_KERNEL, 7, 3, 3, 3),
        values.integers("strides", 1, MAX_KERNEL, 4, 2, 2, 2),
        values.integers("num_attention_heads", 1, MAX_WIDTH, 1, 2, 5, 8),
        values.positiveNumbers("mlp_ratios", 64, 4, 4, 4, 4),
        hiddenAct.asText(GELU),
        values.integer("decoder_hidden_size", 64, 2, MAX_WIDTH),
        values.positiveNumber("max_depth", 10, 1e6),
        values.integer("head_in_index", -1, -MAX_STAGES, MAX_STAGES - 1));
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
      throw new CheckpointException("config.json: " + field + " has " + length + " entries but num_encoder_blocks is "
          + numEncoderBlocks);
    }
  }
}
