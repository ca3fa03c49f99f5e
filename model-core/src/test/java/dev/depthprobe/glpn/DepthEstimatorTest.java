package dev.depthprobe.glpn;

import static dev.depthprobe.glpn.GlpnFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthprobe.compute.Nd4jThreads;
import dev.depthprobe.image.PillowResize;
import dev.depthprobe.image.ResampleFilter;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.model.DepthMap;
import dev.depthprobe.npy.NpyArray;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.factory.Nd4j;

class DepthEstimatorTest {
  private static DepthEstimator estimator;
  private static double maxDepth;

  @BeforeAll
  static void load() {
    Nd4jThreads.setForCurrentThread(1);
    estimator = DepthEstimator.load(GlpnFixtures.checkpoint());
    maxDepth = estimator.model().config().maxDepth();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gradient_64x80", "odd_97x123", "coco_cats_240x320"})
  void depthAtOriginalSizeMatchesTransformersFromThePng(String name) throws IOException {
    RgbImage image = rgbPng(name + ".png");
    DepthMap depth = estimator.estimate(List.of(image), true).get(0);
    assertEquals(image.height(), depth.height());
    assertEquals(image.width(), depth.width());
    NpyArray expected = GlpnFixtures.npy("cases/" + name + "/depth_original_size.npy");
    assertClose(Nd4j.create(expected.toFloatArray(), expected.shape(), 'c'),
        Nd4j.create(depth.metres(), expected.shape(), 'c'), 1e-4 * maxDepth, name + " from PNG, original size");
  }

  @Test
  void modelPixelLimitRunsTheModelOnTheShrunkImageAndResizesTheDepthToTheImagesSize() throws IOException {
    RgbImage image = rgbPng("coco_cats_240x320.png");
    DepthEstimator limited = estimator.withMaxModelPixels(20_000);

    DepthMap depth = limited.estimate(List.of(image), true).get(0);

    assertArrayEquals(new int[] {96, 160}, limited.processedSize(240, 320));
    assertEquals(240, depth.height());
    assertEquals(320, depth.width());
    RgbImage shrunk = PillowResize.resize(image, 160, 96, ResampleFilter.BILINEAR);
    DepthMap modelSize = estimator.estimate(List.of(shrunk), false).get(0);
    float[] expected = DepthPostProcessing.resizeBicubic(modelSize.metres(), 96, 160, 240, 320);
    assertArrayEquals(expected, depth.metres());
  }

  @Test
  void imagesSharingAProcessedSizeRunAsOneBatchWithTheSingleImageResults() throws IOException {
    RgbImage gradient = rgbPng("gradient_64x80.png");
    RgbImage mirrored = mirror(gradient); // also 64x64 after preprocessing: same batch as gradient
    RgbImage odd = rgbPng("odd_97x123.png");
    List<DepthMap> together = estimator.estimate(List.of(gradient, odd, mirrored), false);
    List<RgbImage> singles = List.of(gradient, odd, mirrored);
    for (int i = 0; i < 3; i++) {
      DepthMap alone = estimator.estimate(List.of(singles.get(i)), false).get(0);
      assertEquals(alone.height(), together.get(i).height());
      assertEquals(alone.width(), together.get(i).width());
      // PyTorch's own batched and single runs differ by up to 4.3e-7 of max_depth
      assertClose(Nd4j.createFromArray(alone.metres()), Nd4j.createFromArray(together.get(i).metres()),
          1e-6 * maxDepth, "image " + i + " batched vs single");
    }
  }

  @Test
  void processedSizeRoundsEachSideDownToAMultipleOf32() {
    assertArrayEquals(new int[] {96, 96}, estimator.processedSize(97, 123));
    assertArrayEquals(new int[] {224, 320}, estimator.processedSize(240, 320));
  }

  @Test
  void withoutOriginalSizeTheDepthIsAtTheProcessedSize() throws IOException {
    DepthMap depth = estimator.estimate(List.of(rgbPng("odd_97x123.png")), false).get(0);
    assertEquals(96, depth.height());
    assertEquals(96, depth.width());
    NpyArray expected = GlpnFixtures.npy("cases/odd_97x123/predicted_depth.npy");
    assertClose(Nd4j.create(expected.toFloatArray(), expected.shape(), 'c'),
        Nd4j.create(depth.metres(), expected.shape(), 'c'), 1e-4 * maxDepth, "odd_97x123 processed size");
  }

  /** An 8-bit RGB PNG of the fixture images, as Pillow decodes it. */
  private static RgbImage rgbPng(String file) throws IOException {
    try (InputStream in = DepthEstimatorTest.class.getResourceAsStream("/fixtures/images/" + file)) {
      BufferedImage image = ImageIO.read(in);
      byte[] pixels = new byte[image.getWidth() * image.getHeight() * 3];
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int rgb = image.getRGB(x, y);
          int p = (y * image.getWidth() + x) * 3;
          pixels[p] = (byte) (rgb >> 16);
          pixels[p + 1] = (byte) (rgb >> 8);
          pixels[p + 2] = (byte) rgb;
        }
      }
      return new RgbImage(image.getWidth(), image.getHeight(), pixels);
    }
  }

  private static RgbImage mirror(RgbImage image) {
    byte[] pixels = new byte[image.pixels().length];
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        System.arraycopy(image.pixels(), (y * image.width() + x) * 3, pixels,
            (y * image.width() + image.width() - 1 - x) * 3, 3);
      }
    }
    return new RgbImage(image.width(), image.height(), pixels);
  }
}
