package dev.depthprobe.imagegpt;

import static dev.depthprobe.imagegpt.ImageGptCheckpointLayoutTest.assertMatchesReference;

import dev.depthprobe.imagegpt.RandomImageGpt.Layout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sequences of several query blocks (the fixtures' 64 positions fit in one) and batches of several chunks, against
 * the float64 reference that attends row by row and image by image.
 */
class ImageGptCausalBlocksTest {

  /** 600 positions: 13 images to a chunk of 8192 rows, so a batch of 14 ends with a chunk of one. */
  @ParameterizedTest
  @CsvSource({"512, 2", "600, 2", "257, 2", "600, 14"})
  void hiddenStatesOfLongSequencesAndLargeBatchesMatchTheReference(int seq, int batch) {
    ImageGptConfig config = new ImageGptConfig(21, 600, 16, 2, 2, 40, "quick_gelu", 1e-5, true, false, false);
    RandomImageGpt random = new RandomImageGpt(config, 13);

    ImageGptModel model = ImageGptModel.fromStateDict(config, random.stateDict(Layout.MODEL));

    assertMatchesReference(model, random, random.randomIds(batch, seq), seq + " positions, batch " + batch);
  }
}
