package dev.depthprobe.glpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.checkpoint.CheckpointException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlpnConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheFixtureConfig() {
    GlpnConfig config = GlpnConfig.fromJson(GlpnFixtures.checkpoint().config());
    assertArrayEquals(new int[] {2, 1, 1, 1}, config.depths());
    assertArrayEquals(new int[] {16, 24, 40, 64}, config.hiddenSizes());
    assertArrayEquals(new int[] {1, 2, 2, 4}, config.numAttentionHeads());
    assertArrayEquals(new int[] {8, 4, 2, 1}, config.srRatios());
    assertEquals(16, config.decoderHiddenSize());
    assertEquals(10.0, config.maxDepth());
    assertEquals(3, config.headStage());
    assertEquals(96, config.mlpHiddenSize(1));
  }

  @Test
  void absentFieldsTakeTransformersDefaults() throws Exception {
    GlpnConfig config = GlpnConfig.fromJson(json("{\"model_type\": \"glpn\"}"));
    assertEquals(3, config.numChannels());
    assertEquals(4, config.numEncoderBlocks());
    assertArrayEquals(new int[] {2, 2, 2, 2}, config.depths());
    assertArrayEquals(new int[] {8, 4, 2, 1}, config.srRatios());
    assertArrayEquals(new int[] {32, 64, 160, 256}, config.hiddenSizes());
    assertArrayEquals(new int[] {7, 3, 3, 3}, config.patchSizes());
    assertArrayEquals(new int[] {4, 2, 2, 2}, config.strides());
    assertArrayEquals(new int[] {1, 2, 5, 8}, config.numAttentionHeads());
    assertArrayEquals(new double[] {4, 4, 4, 4}, config.mlpRatios());
    assertEquals("gelu", config.hiddenAct());
    assertEquals(64, config.decoderHiddenSize());
    assertEquals(10.0, config.maxDepth());
    assertEquals(-1, config.headInIndex());
    assertEquals(1024, config.mlpHiddenSize(3));
  }

  @Test
  void rejectsOtherModelTypesInOneLine() throws Exception {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> GlpnConfig.fromJson(json("{\"model_type\": \"segformer\"}")));
    assertEquals("config.json: model_type is 'segformer', expected 'glpn'", e.getMessage());
  }

  @Test
  void rejectsHiddenSizesNotDivisibleByTheHeads() throws Exception {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> GlpnConfig.fromJson(json("{\"model_type\": \"glpn\", \"num_attention_heads\": [1, 2, 3, 8]}")));
    assertTrue(e.getMessage().contains("hidden size (160) is not a multiple of the number of attention heads (3)"),
        e.getMessage());
  }

  @Test
  void rejectsPerStageListsOfTheWrongLength() throws Exception {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> GlpnConfig.fromJson(json("{\"model_type\": \"glpn\", \"depths\": [2, 2, 2]}")));
    assertTrue(e.getMessage().contains("depths has 3 entries but num_encoder_blocks is 4"), e.getMessage());
  }

  @Test
  void rejectsActivationsOtherThanExactGelu() throws Exception {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> GlpnConfig.fromJson(json("{\"model_type\": \"glpn\", \"hidden_act\": \"relu\"}")));
    assertTrue(e.getMessage().contains("hidden_act 'relu'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"hidden_sizes\": [0, 64, 160, 256] | config.json: hidden_sizes[0] is 0; must be an integer from 1 to 65536",
      "\"num_channels\": \"three\"        | config.json: num_channels is \"three\"; must be an integer from 1 to 64",
      "\"depths\": [2, 2, 2, 1e20]         | config.json: depths[3] is 1.0E20; must be an integer from 0 to 1024",
      "\"strides\": [4, 2, 2, 2.5]         | config.json: strides[3] is 2.5; must be an integer from 1 to 1024",
      "\"sr_ratios\": 8                    | config.json: sr_ratios is 8; must be a non-empty list",
      "\"max_depth\": -10                  | config.json: max_depth is -10; must be a number greater than 0",
      "\"num_encoder_blocks\": 100000      | config.json: num_encoder_blocks is 100000; must be an integer from 1 to 16"})
  void valuesOutsideSaneBoundsAreRefusedNamingTheFileAndKey(String field, String message) throws Exception {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> GlpnConfig.fromJson(json("{\"model_type\": \"glpn\", " + field + "}")));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }
}
