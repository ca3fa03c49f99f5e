package dev.depthprobe.imagegpt;

import static dev.depthprobe.imagegpt.TinyFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import dev.depthprobe.imagegpt.RandomImageGpt.Layout;
import dev.depthprobe.npy.NpyArray;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Checkpoints of other shapes and name layouts, against a plain float64 transcription of the forward pass. */
class ImageGptCheckpointLayoutTest {
  /** Every size differs from imagegpt-tiny's (4 layers, 4 heads, n_embd 32, n_inner 128, 64 positions). */
  static ImageGptConfig otherShape(boolean scaleWeights, boolean byInverseLayer, boolean reorder) {
    return new ImageGptConfig(21, 24, 24, 3, 3, 40, "quick_gelu", 1e-5, scaleWeights, byInverseLayer, reorder);
  }

  @Test
  void scalarReferenceReproducesTransformersOnTheTinyFixture() {
    StateDict tiny = TinyFixtures.checkpoint().weights().stripPrefix("transformer.");
    Map<String, float[]> weights = new LinkedHashMap<>();
    tiny.tensors().forEach((name, tensor) -> weights.put(name, tensor.toArray()));
    ScalarImageGpt reference = new ScalarImageGpt(TinyFixtures.model().config(), weights);
    long[] ids = TinyFixtures.npy("cases/odd_97x123/input_ids.npy").toLongArray();

    double[][][] states = reference.hiddenStates(Arrays.stream(ids).mapToInt(Math::toIntExact).toArray());
    NpyArray expected = TinyFixtures.npy("cases/odd_97x123/hidden_states.npy");
    for (int k = 0; k < states.length; k++) {
      assertClose(TinyFixtures.slice(expected, k), toFloat(states[k]), "scalar reference hidden_states[" + k + "]");
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void otherShapeLoadsAndRunsInEveryNameLayout(Layout layout, @TempDir Path dir) throws IOException {
    RandomImageGpt random = new RandomImageGpt(otherShape(true, false, false), 7);
    random.writeCheckpoint(dir, layout);

    ImageGptModel model = ImageGptModel.load(Checkpoint.open(dir));

    assertEquals(random.config, model.config());
    assertMatchesReference(model, random, random.randomIds(2, 20), layout.toString());
  }

  @ParameterizedTest
  @CsvSource({"true, true, false", "false, false, false", "true, true, true"})
  void attentionScaleOptionsAreHonoured(boolean scaleWeights, boolean byInverseLayer, boolean reorder) {
    RandomImageGpt random = new RandomImageGpt(otherShape(scaleWeights, byInverseLayer, reorder), 11);

    ImageGptModel model = ImageGptModel.fromStateDict(random.config, random.stateDict(Layout.MODEL));

    assertMatchesReference(model, random, random.randomIds(2, 24), "scale " + scaleWeights + "/" + byInverseLayer);
  }

  @Test
  void aTensorTheModelDoesNotUseIsAnError() {
    RandomImageGpt random = new RandomImageGpt(otherShape(true, false, false), 3);
    Map<String, Tensor> tensors = random.tensors(Layout.CAUSAL_LM);
    String cross = "transformer.h.0.crossattention.c_attn.weight";
    tensors.put(cross, tensor(cross, 24));
    tensors.put("classifier.weight", tensor("classifier.weight", 24));

    CheckpointException e = assertThrows(CheckpointException.class,
        () -> ImageGptModel.fromStateDict(random.config, new StateDict("model.safetensors", tensors)));

    assertEquals("model.safetensors: tensors the ImageGPT model does not use: "
        + "[classifier.weight, transformer.h.0.crossattention.c_attn.weight]", e.getMessage());
  }

  @Test
  void aShapeOtherThanTheConfigImpliesNamesTensorAndBothShapes() {
    RandomImageGpt random = new RandomImageGpt(otherShape(true, false, false), 3);
    ImageGptConfig wider = new ImageGptConfig(21, 24, 24, 3, 3, 48, "quick_gelu", 1e-5, true, false, false);

    CheckpointException e = assertThrows(CheckpointException.class,
        () -> ImageGptModel.fromStateDict(wider, random.stateDict(Layout.MODEL)));

    assertEquals("random-MODEL: tensor 'h.0.mlp.c_fc.weight' has shape [24, 40] but the config implies [24, 48]",
        e.getMessage());
  }

  @Test
  void aMissingTensorIsNamed() {
    RandomImageGpt random = new RandomImageGpt(otherShape(true, false, false), 3);
    Map<String, Tensor> tensors = random.tensors(Layout.CLASSIFIER);
    tensors.remove("transformer.h.2.ln_2.weight");

    CheckpointException e = assertThrows(CheckpointException.class,
        () -> ImageGptModel.fromStateDict(random.config, new StateDict("model.safetensors", tensors)));

    assertTrue(e.getMessage().contains("'h.2.ln_2.weight' is missing"), e.getMessage());
  }

  static void assertMatchesReference(ImageGptModel model, RandomImageGpt random, int[][] ids, String what) {
    int layers = random.config.nLayer();
    List<INDArray> states = model.hiddenStates(longIds(ids), layers);
    ScalarImageGpt reference = new ScalarImageGpt(random.config, random.weights);
    for (int n = 0; n < ids.length; n++) {
      double[][][] expected = reference.hiddenStates(ids[n]);
      for (int k = 0; k <= layers; k++) {
        float[] actual = states.get(k).slice(n).dup().data().asFloat();
        assertClose(toFloat(expected[k]), actual, what + " image " + n + " hidden_states[" + k + "]");
      }
    }
    assertArrayEquals(new long[] {ids.length, ids[0].length, random.config.nEmbd()}, states.get(layers).shape());
  }

  static INDArray longIds(int[][] ids) {
    long[][] values = new long[ids.length][];
    for (int n = 0; n < ids.length; n++) {
      values[n] = Arrays.stream(ids[n]).asLongStream().toArray();
    }
    return Nd4j.createFromArray(values);
  }

  static float[] toFloat(double[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int s = 0; s < rows.length; s++) {
      for (int c = 0; c < rows[s].length; c++) {
        out[s * rows[s].length + c] = (float) rows[s][c];
      }
    }
    return out;
  }

  private static Tensor tensor(String name, int size) {
    return new Tensor(name, new long[] {size}, FloatBuffer.wrap(new float[size]));
  }
}
