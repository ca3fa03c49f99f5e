package dev.depthprobe.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.glpn.DepthEstimator;
import dev.depthprobe.glpn.GlpnFixtures;
import dev.depthprobe.imagegpt.FeatureExtractor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The registry picks each task's model by config.json's model_type, and refuses a type the task has none for. */
class ModelRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aGlpnCheckpointIsADepthModelWithItsConfigsMaxDepth() {
    Checkpoint checkpoint = GlpnFixtures.checkpoint();

    DepthModel model = ModelRegistry.loadDepth(checkpoint);

    assertInstanceOf(DepthEstimator.class, model);
    assertEquals(checkpoint.config().path("max_depth").asDouble(), model.maxDepth());
    assertEquals(model.maxDepth(),
        ModelRegistry.depth(checkpoint.config()).check(checkpoint.config(), checkpoint.preprocessorConfig()));
    assertEquals(64, model.processedSize(70, 90)[0]);
  }

  @Test
  void anImageGptCheckpointIsAFeatureModelThatGivesEveryImageItsSquare() throws Exception {
    Checkpoint checkpoint = Checkpoint.open(Path.of(getClass().getResource("/fixtures/imagegpt-tiny/model").toURI()));

    FeatureModel model = ModelRegistry.features(checkpoint.config()).build(checkpoint.config(),
        checkpoint.preprocessorConfig(), checkpoint.weights());

    assertInstanceOf(FeatureExtractor.class, model);
    int[] size = model.processedSize(240, 320);
    assertEquals(checkpoint.preprocessorConfig().path("size").path("height").asInt(), size[0]);
  }

  @Test
  void aModelTypeWithoutAModelForTheTaskIsACheckpointError() throws Exception {
    CheckpointException depth = assertThrows(CheckpointException.class,
        () -> ModelRegistry.depth(JSON.readTree("{\"model_type\": \"imagegpt\"}")));
    CheckpointException features = assertThrows(CheckpointException.class,
        () -> ModelRegistry.features(JSON.readTree("{\"model_type\": \"glpn\"}")));

    assertEquals("config.json: model_type is 'imagegpt', expected 'glpn'", depth.getMessage());
    assertEquals("config.json: model_type is 'glpn', expected 'imagegpt'", features.getMessage());
  }
}
