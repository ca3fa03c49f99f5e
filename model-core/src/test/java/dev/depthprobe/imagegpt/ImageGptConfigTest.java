package dev.depthprobe.imagegpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.checkpoint.CheckpointException;
import org.junit.jupiter.api.Test;

class ImageGptConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void tinyConfigJsonIsReadWithNullInnerAsFourTimesEmbd() {
    ImageGptConfig config = ImageGptConfig.fromJson(TinyFixtures.checkpoint().config());

    assertEquals(new ImageGptConfig(513, 64, 32, 4, 4, 128, "quick_gelu", 1e-5, true, false, false), config);
    assertEquals(8, config.headDim());
    assertEquals(512, config.sosId());
  }

  @Test
  void absentFieldsTakeImageGptConfigDefaults() {
    ImageGptConfig config = ImageGptConfig.fromJson(json("{\"model_type\": \"imagegpt\"}"));

    assertEquals(new ImageGptConfig(513, 1024, 512, 24, 8, 2048, "quick_gelu", 1e-5, true, false, false), config);
  }

  @Test
  void anotherModelTypeIsRejected() {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> ImageGptConfig.fromJson(json("{\"model_type\": \"glpn\"}")));

    assertEquals("config.json: model_type is 'glpn', expected 'imagegpt'", e.getMessage());
  }

  @Test
  void anActivationOtherThanQuickGeluIsRejected() {
    ObjectNode node = (ObjectNode) TinyFixtures.checkpoint().config().deepCopy();
    node.put("activation_function", "gelu_new");

    CheckpointException e = assertThrows(CheckpointException.class, () -> ImageGptConfig.fromJson(node));

    assertEquals("config.json: activation_function 'gelu_new' is not supported (only quick_gelu)", e.getMessage());
  }

  @Test
  void embdNotDivisibleByHeadsIsRejected() {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> ImageGptConfig.fromJson(json("{\"model_type\": \"imagegpt\", \"n_embd\": 30, \"n_head\": 4}")));

    assertEquals("config.json: n_embd 30 is not divisible by n_head 4", e.getMessage());
  }

  @Test
  void crossAttentionIsRejected() {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> ImageGptConfig.fromJson(json("{\"model_type\": \"imagegpt\", \"add_cross_attention\": true}")));

    assertEquals("config.json: add_cross_attention=true is not supported", e.getMessage());
  }

  @Test
  void sizesOutsideSaneBoundsAreRefusedNamingTheFileAndKey() {
    CheckpointException zero = assertThrows(CheckpointException.class,
        () -> ImageGptConfig.fromJson(json("{\"model_type\": \"imagegpt\", \"n_embd\": 0}")));
    CheckpointException huge = assertThrows(CheckpointException.class,
        () -> ImageGptConfig.fromJson(json("{\"model_type\": \"imagegpt\", \"n_layer\": 4294967296}")));
    CheckpointException epsilon = assertThrows(CheckpointException.class,
        () -> ImageGptConfig.fromJson(json("{\"model_type\": \"imagegpt\", \"layer_norm_epsilon\": \"tiny\"}")));

    assertEquals("config.json: n_embd is 0; must be an integer from 1 to 65536", zero.getMessage());
    assertEquals("config.json: n_layer is 4294967296; must be an integer from 1 to 1024", huge.getMessage());
    assertEquals("config.json: layer_norm_epsilon is \"tiny\"; must be a number greater than 0 and at most 1.0",
        epsilon.getMessage());
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
