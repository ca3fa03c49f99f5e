package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.glpn.GlpnForDepthEstimation;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.imagegpt.ImageGptConfig;
import dev.depthprobe.imagegpt.ImageGptModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The generated layouts against real transformers checkpoints (the tiny fixtures), and random models built from them. */
class CheckpointLayoutsTest {
  /** The tiny transformers checkpoints of model-core's test fixtures. */
  private static final Path FIXTURES = Path.of("../model-core/src/test/resources/fixtures");
  /** State-dict entries that are not float weights of the model body. */
  private static final Pattern NOT_WEIGHTS = Pattern.compile(
      ".*num_batches_tracked|lm_head\\..*|h\\.\\d+\\.attn\\.(bias|masked_bias)");

  @Test
  void glpnLayoutHasTheNamesAndShapesOfTheTinyCheckpoint() {
    Checkpoint checkpoint = Checkpoint.open(FIXTURES.resolve("glpn-tiny/model"));
    GlpnConfig config = GlpnConfig.fromJson(checkpoint.config());
    assertEquals(shapes(checkpoint.weights()), shapes(GlpnCheckpointLayout.of(config)));
  }

  @Test
  void imageGptLayoutHasTheNamesAndShapesOfTheTinyCheckpoint() {
    Checkpoint checkpoint = Checkpoint.open(FIXTURES.resolve("imagegpt-tiny/model"));
    ImageGptConfig config = ImageGptConfig.fromJson(checkpoint.config());
    assertEquals(shapes(checkpoint.weights().stripPrefix("transformer.")), shapes(ImageGptCheckpointLayout.of(config)));
  }

  @Test
  void randomTinyGlpnTakesEveryTensorAndPredictsFiniteDepth() {
    GlpnConfig config = GlpnConfig.fromJson(Checkpoint.open(FIXTURES.resolve("glpn-tiny/model")).config());
    GlpnForDepthEstimation model = takingEveryTensor(GlpnCheckpointLayout.of(config),
        weights -> GlpnForDepthEstimation.fromStateDict(config, weights));
    INDArray depth = model.predictDepth(Nd4j.rand(DataType.FLOAT, 2, 3, 64, 96));
    assertArrayEquals(new long[] {2, 64, 96}, depth.shape());
    assertTrue(Double.isFinite(depth.sumNumber().doubleValue()));
  }

  @Test
  void randomTinyImageGptTakesEveryTensorAndGivesFeatures() {
    ImageGptConfig config = ImageGptConfig.fromJson(Checkpoint.open(FIXTURES.resolve("imagegpt-tiny/model")).config());
    ImageGptModel model = takingEveryTensor(ImageGptCheckpointLayout.of(config),
        weights -> ImageGptModel.fromStateDict(config, weights));
    float[][][] features = model.features(Nd4j.createFromArray(new long[][] {{1, 2, 3}, {4, 5, 6}}),
        FeatureSpec.hidden(config.nLayer()));
    assertEquals(config.nEmbd(), features[1][0].length);
  }

  @Test
  void randomValuesFollowTheInitialisationOfTheirKind() {
    Map<String, Tensor> tensors = RandomStateDict.tensors(List.of(TensorSpec.normal("w", 100, 100),
        TensorSpec.ones("norm", 4), TensorSpec.zeros("b", 4)), 3);
    float[] w = tensors.get("w").toArray();
    double sumSq = 0;
    for (float v : w) {
      sumSq += v * v;
    }
    assertEquals(TensorSpec.STD, Math.sqrt(sumSq / w.length), 0.001);
    assertArrayEquals(new float[] {1, 1, 1, 1}, tensors.get("norm").toArray());
    assertArrayEquals(new float[] {0, 0, 0, 0}, tensors.get("b").toArray());
    assertEquals(4L * (100 * 100 + 8), RandomStateDict.bytes(List.of(TensorSpec.normal("w", 100, 100),
        TensorSpec.ones("norm", 4), TensorSpec.zeros("b", 4))));
  }

  /** The model built from random tensors in {@code layout}, asserting that it took every one of them. */
  private static <M> M takingEveryTensor(List<TensorSpec> layout, Function<StateDict, M> build) {
    StateDict weights = RandomStateDict.create("random", layout, 1);
    M model = build.apply(weights);
    assertTrue(weights.unused().isEmpty(), () -> "unused: " + weights.unused());
    return model;
  }

  private static Map<String, List<Long>> shapes(StateDict weights) {
    Map<String, List<Long>> out = new TreeMap<>();
    weights.tensors().forEach((name, t) -> {
      if (!NOT_WEIGHTS.matcher(name).matches()) {
        out.put(name, boxed(t.shape()));
      }
    });
    return out;
  }

  private static Map<String, List<Long>> shapes(List<TensorSpec> layout) {
    Map<String, List<Long>> out = new TreeMap<>();
    layout.forEach(spec -> out.put(spec.name(), boxed(spec.shape())));
    return out;
  }

  private static List<Long> boxed(long[] shape) {
    return java.util.Arrays.stream(shape).boxed().toList();
  }
}
