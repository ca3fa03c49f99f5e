package dev.depthprobe.glpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import dev.depthprobe.compute.Nd4jThreads;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A GLPN of another shape than the fixture (3 stages, other depths, heads, sr ratios, widths, patch
 * sizes and decoder width), with random weights written to a checkpoint folder.
 */
class GlpnCheckpointShapesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  private static ObjectNode configJson;
  private static GlpnConfig config;
  private static Map<String, Tensor> stateDict;

  @BeforeAll
  static void writeCheckpoint() throws Exception {
    configJson = (ObjectNode) JSON.readTree("""
        {"model_type": "glpn", "num_encoder_blocks": 3, "depths": [1, 2, 1], "sr_ratios": [4, 2, 1],
         "hidden_sizes": [8, 12, 20], "patch_sizes": [5, 3, 3], "strides": [4, 2, 2],
         "num_attention_heads": [1, 3, 4], "mlp_ratios": [2, 3, 4], "decoder_hidden_size": 12,
         "max_depth": 80, "layer_norm_eps": 1e-6}""");
    config = GlpnConfig.fromJson(configJson);
    stateDict = RandomGlpnCheckpoint.stateDict(config, 7);
    RandomGlpnCheckpoint.write(dir.resolve("other"), configJson, stateDict);
    Nd4jThreads.setForCurrentThread(1);
  }

  @Test
  void loadsAndRunsACheckpointOfAnotherShapeConsumingEveryTensor() {
    Checkpoint checkpoint = Checkpoint.open(dir.resolve("other"));
    StateDict weights = checkpoint.weights();
    GlpnForDepthEstimation model = GlpnForDepthEstimation.fromStateDict(GlpnConfig.fromJson(checkpoint.config()),
        weights);
    assertTrue(weights.unused().stream().allMatch(n -> n.endsWith(".num_batches_tracked")),
        weights.unused().toString());
    assertFalse(weights.contains("decoder.stages.1.convolution.weight"), "stage 1 reads a 12-wide state: no conv");

    INDArray depth = model.predictDepth(Nd4j.rand(DataType.FLOAT, 2, 3, 32, 48));
    assertArrayEquals(new long[] {2, 32, 48}, depth.shape());
    assertTrue(depth.minNumber().doubleValue() > 0 && depth.maxNumber().doubleValue() < 80, "sigmoid * max_depth");
    assertTrue(depth.stdNumber().doubleValue() > 1e-3, "depth varies over the image");
  }

  @Test
  void encoderAndDecoderShapesFollowTheConfig() {
    GlpnOutputs outputs = model(stateDict).forwardWithHiddenStates(Nd4j.rand(DataType.FLOAT, 1, 3, 32, 48));
    assertArrayEquals(new long[] {1, 8, 8, 12}, outputs.encoderHiddenStates().get(0).shape());
    assertArrayEquals(new long[] {1, 12, 4, 6}, outputs.encoderHiddenStates().get(1).shape());
    assertArrayEquals(new long[] {1, 20, 2, 3}, outputs.encoderHiddenStates().get(2).shape());
    assertArrayEquals(new long[] {1, 12, 4, 6}, outputs.decoderStages().get(0).shape());
    assertArrayEquals(new long[] {1, 12, 8, 12}, outputs.decoderStages().get(1).shape());
    assertArrayEquals(new long[] {1, 12, 32, 48}, outputs.decoderStages().get(2).shape());
    assertArrayEquals(new long[] {1, 32, 48}, outputs.predictedDepth().shape());
  }

  @Test
  void headInIndexSelectsTheDecoderStageTheHeadReads() throws Exception {
    ObjectNode json = configJson.deepCopy().put("head_in_index", 1);
    GlpnForDepthEstimation model = GlpnForDepthEstimation.fromStateDict(GlpnConfig.fromJson(json),
        new StateDict("random", stateDict));
    assertArrayEquals(new long[] {2, 8, 12}, model.predictDepth(Nd4j.rand(DataType.FLOAT, 2, 3, 32, 48)).shape());
  }

  @Test
  void batchedImagesGiveTheSingleImageResults() {
    GlpnForDepthEstimation model = model(stateDict);
    INDArray batch = Nd4j.rand(DataType.FLOAT, 3, 3, 32, 48);
    INDArray depth = model.predictDepth(batch);
    for (int i = 0; i < 3; i++) {
      INDArray single = model.predictDepth(batch.get(interval(i, i + 1)));
      // PyTorch's own batched and single runs differ by up to 4.3e-7 of max_depth
      GlpnFixtures.assertClose(single.reshape(32, 48), depth.slice(i), 1e-6 * config.maxDepth(),
          "image " + i + " batched vs single");
    }
  }

  @Test
  void rejectsATensorTheModelDoesNotUse() {
    Map<String, Tensor> extra = new LinkedHashMap<>(stateDict);
    extra.put("decoder.stages.1.convolution.weight",
        new Tensor("decoder.stages.1.convolution.weight", new long[] {12, 12, 1, 1}, FloatBuffer.allocate(144)));
    CheckpointException e = assertThrows(CheckpointException.class, () -> model(extra));
    assertTrue(e.getMessage().contains("1 tensor(s) not used")
        && e.getMessage().contains("decoder.stages.1.convolution.weight"), e.getMessage());
  }

  @Test
  void rejectsAMissingTensor() {
    Map<String, Tensor> missing = new LinkedHashMap<>(stateDict);
    missing.remove("decoder.stages.2.fusion.convolutional_layer2.1.running_var");
    CheckpointException e = assertThrows(CheckpointException.class, () -> model(missing));
    assertTrue(e.getMessage().contains("'decoder.stages.2.fusion.convolutional_layer2.1.running_var' is missing"),
        e.getMessage());
  }

  @Test
  void rejectsATensorWhoseShapeDisagreesWithTheConfig() {
    Map<String, Tensor> wrong = new LinkedHashMap<>(stateDict);
    String name = "glpn.encoder.block.1.1.attention.self.sr.weight";
    wrong.put(name, new Tensor(name, new long[] {12, 12, 4, 4}, FloatBuffer.allocate(12 * 12 * 16)));
    CheckpointException e = assertThrows(CheckpointException.class, () -> model(wrong));
    assertTrue(e.getMessage().contains(name) && e.getMessage().contains("[12, 12, 4, 4]")
        && e.getMessage().contains("[12, 12, 2, 2]"), e.getMessage());
  }

  @Test
  void rejectsImagesWhoseStagesTheDecoderCannotFuse() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model(stateDict).predictDepth(Nd4j.rand(DataType.FLOAT, 1, 3, 40, 48)));
    assertTrue(e.getMessage().contains("divisible by 16"), e.getMessage());
  }

  private static GlpnForDepthEstimation model(Map<String, Tensor> tensors) {
    return GlpnForDepthEstimation.fromStateDict(config, new StateDict("random.safetensors", tensors));
  }
}
