package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The numbers of a {@code config.json} or {@code preprocessor_config.json}, each checked to be a
 * number of the right kind within bounds (an absent key takes its default). A value outside them is
 * a {@link CheckpointException} whose one line names the file and the key, e.g.
 * {@code preprocessor_config.json: size_divisor is 0; must be an integer from 1 to 4096}.
 */
public final class ConfigValues {
  private final JsonNode json;
  private final String file;

  /** @param file the file's name, for messages */
  public ConfigValues(JsonNode json, String file) {
    this.json = json;
    this.file = file;
  }

  /** An integer in {@code [min, max]}; {@code defaultValue} when the key is absent or null. */
  public int integer(String key, int defaultValue, int min, int max) {
    JsonNode node = json.path(key);
    return isAbsent(node) ? defaultValue : integer(node, key, min, max);
  }

  /** A list of integers in {@code [min, max]}; {@code defaults} when the key is absent or null. */
  public int[] integers(String key, int min, int max, int... defaults) {
    JsonNode node = json.path(key);
    if (isAbsent(node)) {
      return defaults;
    }
    requireList(node, key);
    int[] out = new int[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = integer(node.get(i), key + "[" + i + "]", min, max);
    }
    return out;
  }

  /** A finite number in {@code (0, max]}; {@code defaultValue} when the key is absent or null. */
  public double positiveNumber(String key, double defaultValue, double max) {
    JsonNode node = json.path(key);
    return isAbsent(node) ? defaultValue : positiveNumber(node, key, max);
  }

  /** A list of finite numbers in {@code (0, max]}; {@code defaults} when the key is absent or null. */
  public double[] positiveNumbers(String key, double max, double... defaults) {
    JsonNode node = json.path(key);
    if (isAbsent(node)) {
      return defaults;
    }
    requireList(node, key);
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = positiveNumber(node.get(i), key + "[" + i + "]", max);
    }
    return out;
  }

  /** A refusal of {@code key} in this file, for checks the bounds above do not express. */
  public CheckpointException invalid(String key, String problem) {
    return new CheckpointException(file + ": " + key + " " + problem);
  }

  private int integer(JsonNode node, String key, int min, int max) {
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
      throw invalid(key, "is " + shown(node) + "; must be an integer from " + min + " to " + max);
    }
    return node.intValue();
  }

  private double positiveNumber(JsonNode node, String key, double max) {
    double v = node.asDouble();
    if (!node.isNumber() || !(v > 0) || !(v <= max)) {
      throw invalid(key, "is " + shown(node) + "; must be a number greater than 0 and at most " + max);
    }
    return v;
  }

  private void requireList(JsonNode node, String key) {
    if (!node.isArray() || node.isEmpty()) {
      throw invalid(key, "is " + shown(node) + "; must be a non-empty list");
    }
  }

  private static boolean isAbsent(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }

  /** The value as JSON, cut short so that a huge value still gives a short line. */
  private static String shown(JsonNode node) {
    String text = node.toString();
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
