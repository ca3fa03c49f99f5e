package dev.depthprobe.datasets;

import dev.depthprobe.model.DepthMap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepthPngWriterTest {
  @TempDir
  Path tmp;

  @Test
  void kitti16RoundTripKeepsDepthsToTheNearest256thOfAMetre() throws Exception {
    float[] depth = {
        1.5f, 0f, Float.NaN, -2f,
        300f, 512.5f / 256, 513.5f / 256, 0.001f,
        80.0039f, Float.POSITIVE_INFINITY, 9.33f, 255.99f};
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    DepthPngWriter.writeKitti16(png, depth, 3, 4);

    DepthMap read = DepthGroundTruthLoader.read(png.toByteArray(), "d.png");

    assertEquals(3, read.height());
    assertEquals(4, read.width());
    float[] expected = {
        1.5f, 0f, 0f, 0f,
        65535 / 256f, 512 / 256f, 514 / 256f, 0f,
        20481 / 256f, 0f, 2388 / 256f, 65533 / 256f};
    assertArrayEquals(expected, read.metres());
  }

  @Test
  void realKittiGroundTruthIsReadAndRewrittenUnchanged() throws Exception {
    DepthMap tum = DepthGroundTruthLoader.load(TestFiles.resource("/sample-ground-truth/tum_rgbd_office.png"));
    float min = Float.MAX_VALUE;
    float max = 0;
    int valid = 0;
    for (float d : tum.metres()) {
      if (d > 0) {
        valid++;
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
    }
    Path rewritten = tmp.resolve("again.png");
    DepthPngWriter.writeKitti16(rewritten, tum.metres(), tum.height(), tum.width());

    assertEquals(480, tum.height());
    assertEquals(640, tum.width());
    assertEquals(0.808, valid / (double) tum.metres().length, 0.001);
    assertEquals(1.46, min, 0.005);
    assertEquals(9.33, max, 0.005);
    assertArrayEquals(tum.metres(), DepthGroundTruthLoader.load(rewritten).metres());
  }

  @Test
  void colormapWritesAnRgbPngWithNearBrightFarDarkAndInvalidBlack() throws Exception {
    int width = 100;
    float[] depth = new float[2 * width];
    for (int x = 0; x < width; x++) {
      depth[x] = 1 + x; // 1 m .. 100 m
      depth[width + x] = x == 0 ? 0 : 50;
    }
    Path file = tmp.resolve("colored.png");
    DepthPngWriter.writeColormap(file, depth, 2, width);

    BufferedImage image = ImageIO.read(file.toFile());

    assertEquals(width, image.getWidth());
    assertEquals(2, image.getHeight());
    assertEquals(Magma.rgb(255), image.getRGB(0, 0) & 0xffffff);
    assertEquals(Magma.rgb(0), image.getRGB(width - 1, 0) & 0xffffff);
    assertEquals(0, image.getRGB(0, 1) & 0xffffff);
    assertTrue(luma(image.getRGB(10, 0)) > luma(image.getRGB(60, 0)));
  }

  @Test
  void percentileInterpolatesLinearlyAsNumpyDoes() {
    float[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(1.45, DepthColormap.percentile(sorted, 5), 1e-9);
    assertEquals(9.55, DepthColormap.percentile(sorted, 95), 1e-9);
    assertEquals(255, DepthColormap.colorIndex(1f, 1.45, 9.55));
    assertEquals(0, DepthColormap.colorIndex(10f, 1.45, 9.55));
  }

  @Test
  void magmaRunsFromBlackToLightYellow() {
    assertEquals(0x000004, Magma.rgb(0));
    assertEquals(0xfcfdbf, Magma.rgb(255));
  }

  private static int luma(int rgb) {
    return 299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff);
  }
}
