package dev.depthprobe.imagegpt;

import static dev.depthprobe.imagegpt.TinyFixtures.assertClose;
import static dev.depthprobe.imagegpt.TinyFixtures.npy;
import static dev.depthprobe.imagegpt.TinyFixtures.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthprobe.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Images through the processor and the model, against the fixtures' batch of three RGB images. */
class FeatureExtractorTest {
  private static final List<String> BATCH = List.of("gradient_64x80", "odd_97x123", "coco_cats_240x320");

  @Test
  void inputIdsAreThoseOfTransformersProcessor() throws IOException {
    FeatureExtractor extractor = FeatureExtractor.load(TinyFixtures.checkpoint());

    for (String name : BATCH) {
      assertArrayEquals(npy("cases/" + name + "/input_ids.npy").toLongArray(), extractor.inputIds(png(name)), name);
    }
  }

  @Test
  void batchFeaturesMatchTransformersPooled() throws IOException {
    FeatureExtractor extractor = FeatureExtractor.load(TinyFixtures.checkpoint());
    List<RgbImage> images = List.of(png(BATCH.get(0)), png(BATCH.get(1)), png(BATCH.get(2)));

    float[][][] features = extractor.extract(images, FeatureSpec.hidden(0, 1, 2, 3, 4));

    assertEquals(3, features.length);
    for (int k = 0; k <= 4; k++) {
      float[][] pooled = {features[0][k], features[1][k], features[2][k]};
      assertClose(slice(npy("batch/pooled.npy"), k), TinyFixtures.flatten(pooled), "extracted pooled[" + k + "]");
    }
  }

  @Test
  void anEmptyBatchGivesNoFeatures() {
    FeatureExtractor extractor = FeatureExtractor.load(TinyFixtures.checkpoint());

    assertEquals(0, extractor.extract(List.of(), FeatureSpec.hidden(1)).length);
  }

  /** An RGB PNG of fixtures/images, decoded by ImageIO (exact for 8-bit RGB). */
  private static RgbImage png(String name) throws IOException {
    BufferedImage image;
    try (InputStream in = FeatureExtractorTest.class.getResourceAsStream("/fixtures/images/" + name + ".png")) {
      image = ImageIO.read(in);
    }
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] pixels = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        int i = (y * w + x) * 3;
        pixels[i] = (byte) (rgb >> 16);
        pixels[i + 1] = (byte) (rgb >> 8);
        pixels[i + 2] = (byte) rgb;
      }
    }
    return new RgbImage(w, h, pixels);
  }
}
