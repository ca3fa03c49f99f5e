package dev.depthprobe.imagegpt;

import static dev.depthprobe.imagegpt.TinyFixtures.inputIds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import dev.depthprobe.imagegpt.RandomImageGpt.Layout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.exception.ND4JOpProfilerException;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.ProfilerConfig;

/** Early exit, several layers per pass, the SOS options and input checks. */
class ImageGptFeaturesTest {

  @Test
  void featuresFromARunStoppedAtTheLayerEqualThoseOfAFullRun() {
    ImageGptModel model = TinyFixtures.model();
    INDArray ids = inputIds("batch/input_ids.npy");
    for (FeatureRecipe recipe : FeatureRecipe.values()) {
      float[][][] full = model.features(ids, new FeatureSpec(new int[] {0, 1, 2, 3, 4}, recipe, false, false));
      for (int layer = 0; layer <= 4; layer++) {
        float[][][] early = model.features(ids, new FeatureSpec(new int[] {layer}, recipe, false, false));
        for (int n = 0; n < 3; n++) {
          assertArrayEquals(full[n][layer], early[n][0], 0f, recipe + " layer " + layer + " image " + n);
        }
      }
    }
  }

  @Test
  void aProbeBelowTheLastLayerGivesTheFeaturesOfAModelTruncatedThere() {
    Checkpoint checkpoint = TinyFixtures.checkpoint();
    ImageGptModel full = ImageGptModel.load(checkpoint);
    ObjectNode twoLayers = ((ObjectNode) checkpoint.config().deepCopy()).put("n_layer", 2);
    Map<String, Tensor> firstTwoBlocks = new LinkedHashMap<>();
    checkpoint.weights().tensors().forEach((name, tensor) -> {
      if (!name.matches("(transformer\\.)?h\\.[2-9]\\..*")) {
        firstTwoBlocks.put(name, tensor);
      }
    });
    ImageGptModel truncated = ImageGptModel.fromStateDict(ImageGptConfig.fromJson(twoLayers),
        new StateDict("first two blocks", firstTwoBlocks));
    INDArray ids = inputIds("cases/gradient_64x80/input_ids.npy");

    for (FeatureRecipe recipe : FeatureRecipe.values()) {
      FeatureSpec spec = new FeatureSpec(new int[] {1, 0}, recipe, false, false);
      float[][][] expected = full.features(ids, spec);
      float[][][] actual = truncated.features(ids, spec);
      for (int layer = 0; layer < 2; layer++) {
        assertArrayEquals(expected[0][layer], actual[0][layer], 0f, recipe + " layer index " + layer);
      }
    }
    full.close();
    truncated.close();
  }

  /**
   * Every weight of blocks L+1.. ({@code h.L.*} on) is NaN, but the ln_1 the LN recipe reads at layer L, and ND4J's NaN check
   * throws on any op whose result holds a NaN: a probe at layer L comes back, finite and equal to the clean
   * model's, only if no block after L ran. A probe one layer deeper shows that a run of block L+1 would throw.
   */
  @Test
  void aProbeAtLayerLRunsNoBlockAfterL() {
    int layer = 1;
    ImageGptConfig config = ImageGptCheckpointLayoutTest.otherShape(true, false, false); // 3 blocks
    RandomImageGpt random = new RandomImageGpt(config, 11);
    ImageGptModel clean = ImageGptModel.fromStateDict(config, random.stateDict(Layout.MODEL));
    RandomImageGpt nanAfterL = new RandomImageGpt(config, 11);
    nanAfterL.weights.forEach((name, values) -> {
      if (name.matches("h\\.\\d+\\..*") && blockIndex(name) >= layer && !name.equals("h." + layer + ".ln_1.weight")) {
        Arrays.fill(values, Float.NaN);
      }
    });
    ImageGptModel poisoned = ImageGptModel.fromStateDict(config, nanAfterL.stateDict(Layout.MODEL));
    INDArray ids = ImageGptCheckpointLayoutTest.longIds(random.randomIds(2, 24));

    for (FeatureRecipe recipe : FeatureRecipe.values()) {
      FeatureSpec spec = new FeatureSpec(new int[] {layer, 0}, recipe, false, false);
      float[][][] expected = clean.features(ids, spec);
      float[][][] actual = assertDoesNotThrow(() -> withNd4jNanCheck(() -> poisoned.features(ids, spec)),
          recipe + ": a block after layer " + layer + " ran");
      for (int n = 0; n < 2; n++) {
        assertArrayEquals(expected[n][0], actual[n][0], 0f, recipe + " layer " + layer + " image " + n);
      }
    }
    assertThrows(ND4JOpProfilerException.class,
        () -> withNd4jNanCheck(() -> poisoned.features(ids, FeatureSpec.hidden(layer + 1))),
        "block " + (layer + 1) + " runs for a probe at layer " + (layer + 1) + ", on NaN weights");
    clean.close();
    poisoned.close();
  }

  private static int blockIndex(String name) {
    return Integer.parseInt(name.split("\\.")[1]);
  }

  /** Runs {@code pass} with ND4J throwing on any op whose result holds a NaN. */
  private static <T> T withNd4jNanCheck(Supplier<T> pass) {
    OpExecutioner executioner = Nd4j.getExecutioner();
    OpExecutioner.ProfilingMode before = executioner.getProfilingMode();
    executioner.setProfilingConfig(ProfilerConfig.builder().checkForNAN(true).build());
    try {
      return pass.get();
    } finally {
      executioner.setProfilingMode(before);
    }
  }

  @Test
  void threadsSharingOneModelGetTheFeaturesOfASingleThread() throws Exception {
    ImageGptModel model = TinyFixtures.model();
    List<String> cases = List.of("gradient_64x80", "palette_50x60_rgb", "coco_cats_240x320");
    FeatureSpec spec = new FeatureSpec(new int[] {1, 4}, FeatureRecipe.LN, false, false);
    List<float[][][]> sequential = cases.stream()
        .map(name -> model.features(inputIds("cases/" + name + "/input_ids.npy"), spec)).toList();

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<float[][][]>> parallel = cases.stream()
          .map(name -> pool.submit(() -> model.features(inputIds("cases/" + name + "/input_ids.npy"), spec))).toList();
      for (int i = 0; i < cases.size(); i++) {
        float[][][] features = parallel.get(i).get();
        for (int j = 0; j < 2; j++) {
          // threads may split ND4J's sums differently; a buffer shared between threads would be far off
          float[] expected = sequential.get(i)[0][j];
          assertArrayEquals(expected, features[0][j], 1e-6f * maxAbs(expected), cases.get(i) + " layer index " + j);
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void layersComeBackInTheOrderAskedWithDuplicates() {
    ImageGptModel model = TinyFixtures.model();
    INDArray ids = inputIds("cases/odd_97x123/input_ids.npy");
    float[][][] ordered = model.features(ids, FeatureSpec.hidden(1, 3));

    float[][][] shuffled = model.features(ids, FeatureSpec.hidden(3, 1, 3));

    assertArrayEquals(ordered[0][1], shuffled[0][0], 0f);
    assertArrayEquals(ordered[0][0], shuffled[0][1], 0f);
    assertArrayEquals(ordered[0][1], shuffled[0][2], 0f);
  }

  @Test
  void prependedSosIsExcludedFromTheMeanUnlessPoolSos() {
    RandomImageGpt random = new RandomImageGpt(ImageGptCheckpointLayoutTest.otherShape(true, false, false), 5);
    ImageGptModel model = ImageGptModel.fromStateDict(random.config, random.stateDict(Layout.MODEL));
    int[][] pixels = random.randomIds(2, 24);
    int[][] shifted = new int[2][24];
    for (int n = 0; n < 2; n++) {
      shifted[n][0] = random.config.sosId();
      System.arraycopy(pixels[n], 0, shifted[n], 1, 23);
    }
    List<INDArray> states = model.hiddenStates(ImageGptCheckpointLayoutTest.longIds(shifted), 3);

    float[][][] excluded = model.features(ImageGptCheckpointLayoutTest.longIds(pixels),
        new FeatureSpec(new int[] {2}, FeatureRecipe.HIDDEN, true, false));
    float[][][] included = model.features(ImageGptCheckpointLayoutTest.longIds(pixels),
        new FeatureSpec(new int[] {2}, FeatureRecipe.HIDDEN, true, true));

    for (int n = 0; n < 2; n++) {
      float[][] rows = states.get(2).slice(n).toFloatMatrix(); // (24, n_embd)
      // the model and this test sum the float32 mean in different orders: 1e-6 of the largest value
      float tolerance = 1e-6f * maxAbs(rows);
      assertArrayEquals(mean(rows, 1), excluded[n][0], tolerance);
      assertArrayEquals(mean(rows, 0), included[n][0], tolerance);
    }
  }

  @Test
  void prependedSosFitsAFullPositionTableByDroppingTheLastPixel() {
    INDArray ids = inputIds("cases/gradient_64x80/input_ids.npy"); // 64 ids = n_positions
    long[] pixels = ids.toLongVector();
    long[][] shifted = new long[1][64];
    shifted[0][0] = TinyFixtures.model().config().sosId();
    System.arraycopy(pixels, 0, shifted[0], 1, 63);
    INDArray expectedIds = org.nd4j.linalg.factory.Nd4j.createFromArray(shifted);

    float[][][] features = TinyFixtures.model().features(ids,
        new FeatureSpec(new int[] {1}, FeatureRecipe.HIDDEN, true, true));
    float[][] rows = TinyFixtures.model().hiddenStates(expectedIds, 1).get(1).slice(0).toFloatMatrix();

    assertArrayEquals(mean(rows, 0), features[0][0], 1e-6f * maxAbs(rows));
  }

  private static float maxAbs(float[][] rows) {
    float max = 0;
    for (float[] row : rows) {
      for (float v : row) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  @Test
  void poolSosWithoutSosIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeatureSpec(new int[] {1}, FeatureRecipe.HIDDEN, false, true));

    assertEquals("poolSos needs prependSos: there is no SOS position to pool", e.getMessage());
  }

  @Test
  void layersAndIdsOutsideTheModelAreRejected() {
    ImageGptModel model = TinyFixtures.model();
    INDArray ids = inputIds("cases/gradient_64x80/input_ids.npy");

    assertEquals("layer 5 is outside 0..4", assertThrows(IllegalArgumentException.class,
        () -> model.features(ids, FeatureSpec.hidden(1, 5))).getMessage());
    INDArray bad = ids.dup();
    bad.putScalar(0, 3, 513);
    assertEquals("input id 513 at [0, 3] is outside 0..512", assertThrows(IllegalArgumentException.class,
        () -> model.hiddenStates(bad, 1)).getMessage());
  }

  private static float[] mean(float[][] rows, int first) {
    float[] out = new float[rows[0].length];
    for (int s = first; s < rows.length; s++) {
      for (int c = 0; c < out.length; c++) {
        out[c] += rows[s][c] / (rows.length - first);
      }
    }
    return out;
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
