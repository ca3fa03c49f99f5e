package dev.depthprobe.imagegpt;

import static dev.depthprobe.imagegpt.TinyFixtures.assertClose;
import static dev.depthprobe.imagegpt.TinyFixtures.inputIds;
import static dev.depthprobe.imagegpt.TinyFixtures.npy;
import static dev.depthprobe.imagegpt.TinyFixtures.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthprobe.npy.NpyArray;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The tiny model against transformers 4.37.2's ImageGPTModel outputs (fixtures/imagegpt-tiny). */
class ImageGptModelParityTest {
  private static final List<String> CASES = TinyFixtures.CASES;

  @ParameterizedTest
  @FieldSource("CASES")
  void everyHiddenStateMatchesTransformers(String name) {
    ImageGptModel model = TinyFixtures.model();
    int layers = model.config().nLayer();
    List<INDArray> states = model.hiddenStates(inputIds("cases/" + name + "/input_ids.npy"), layers);

    NpyArray expected = npy("cases/" + name + "/hidden_states.npy");
    assertEquals(layers + 1, states.size());
    for (int k = 0; k <= layers; k++) {
      assertArrayEquals(new long[] {1, 64, 32}, states.get(k).shape());
      assertClose(slice(expected, k), states.get(k).data().asFloat(), name + " hidden_states[" + k + "]");
    }
    assertClose(npy("cases/" + name + "/last_hidden_state.npy").toFloatArray(), states.get(layers).data().asFloat(),
        name + " last_hidden_state");
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void pooledFeaturesMatchTransformers(String name) {
    ImageGptModel model = TinyFixtures.model();
    INDArray ids = inputIds("cases/" + name + "/input_ids.npy");
    float[][][] features = model.features(ids, FeatureSpec.hidden(0, 1, 2, 3, 4));

    NpyArray expected = npy("cases/" + name + "/pooled.npy"); // (n_layer + 1, 1, n_embd)
    assertEquals(1, features.length);
    assertEquals(5, features[0].length);
    for (int k = 0; k <= 4; k++) {
      assertClose(slice(expected, k), features[0][k], name + " pooled[" + k + "]");
    }
  }

  @Test
  void batchOfThreeMatchesTransformersBatch() {
    ImageGptModel model = TinyFixtures.model();
    INDArray ids = inputIds("batch/input_ids.npy");
    List<INDArray> states = model.hiddenStates(ids, 4);
    float[][][] features = model.features(ids, FeatureSpec.hidden(0, 1, 2, 3, 4));

    NpyArray expectedStates = npy("batch/hidden_states.npy"); // (5, 3, 64, 32)
    NpyArray expectedPooled = npy("batch/pooled.npy"); // (5, 3, 32)
    for (int k = 0; k <= 4; k++) {
      assertArrayEquals(new long[] {3, 64, 32}, states.get(k).shape());
      assertClose(slice(expectedStates, k), states.get(k).data().asFloat(), "batch hidden_states[" + k + "]");
      float[][] pooled = new float[3][];
      for (int n = 0; n < 3; n++) {
        pooled[n] = features[n][k];
      }
      assertClose(slice(expectedPooled, k), TinyFixtures.flatten(pooled), "batch pooled[" + k + "]");
    }
  }

  @Test
  void lnRecipeIsLn1OfTheNextBlockMeanPooled() {
    ImageGptModel model = TinyFixtures.model();
    float[][][] features = model.features(inputIds("cases/gradient_64x80/input_ids.npy"),
        new FeatureSpec(new int[] {0, 1, 2, 3, 4}, FeatureRecipe.LN, false, false));

    for (int k = 0; k < 4; k++) {
      NpyArray ln1 = npy("trace/gradient_64x80/h." + k + ".ln_1.npy"); // (1, 64, 32)
      assertClose(meanOverSequence(ln1.toFloatArray(), 64, 32), features[0][k], "ln_1 of h." + k + " pooled");
    }
    assertClose(slice(npy("cases/gradient_64x80/pooled.npy"), 4), features[0][4], "LN recipe at n_layer");
  }

  @Test
  void batchedFeaturesEqualSingleImageFeatures() {
    ImageGptModel model = TinyFixtures.model();
    FeatureSpec spec = FeatureSpec.hidden(0, 2, 4);
    float[][][] batched = model.features(inputIds("batch/input_ids.npy"), spec);

    List<String> batchCases = List.of("gradient_64x80", "odd_97x123", "coco_cats_240x320");
    for (int n = 0; n < batchCases.size(); n++) {
      float[][][] single = model.features(inputIds("cases/" + batchCases.get(n) + "/input_ids.npy"), spec);
      for (int j = 0; j < 3; j++) {
        assertArrayEquals(single[0][j], batched[n][j], 1e-6f, batchCases.get(n) + " layer index " + j);
      }
    }
  }

  private static float[] meanOverSequence(float[] values, int seq, int width) {
    float[] mean = new float[width];
    for (int s = 0; s < seq; s++) {
      for (int c = 0; c < width; c++) {
        mean[c] += values[s * width + c];
      }
    }
    for (int c = 0; c < width; c++) {
      mean[c] /= seq;
    }
    return mean;
  }
}
