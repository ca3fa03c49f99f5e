package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.npy.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 3000x2000 photo (6 megapixels) through {@code predict-depth} in a JVM of its own with a 4 GB heap: attention in
 * blocks of queries and the head in bands of rows keep the memory linear in the pixels. The peak resident memory
 * (heap, ND4J's native arrays and the rest) is what the command reports.
 */
class LargePhotoMemoryTest {
  private static final Logger LOG = LoggerFactory.getLogger(LargePhotoMemoryTest.class);
  private static final Path MODEL = Path.of("../jobs/src/main/resources/sample-model/glpn-tiny");
  private static final Pattern PEAK = Pattern.compile("peak resident memory (\\d+) MiB");

  @TempDir
  Path dir;

  @Test
  void aSixMegapixelPhotoRunsInAFourGigabyteHeapAndReportsItsPeakMemory() throws Exception {
    Path photo = dir.resolve("large.jpg");
    writePhoto(photo, 3000, 2000);
    Path depth = dir.resolve("large.npy");

    String output = ForkedJvm.run(dir, List.of("-Xmx4g"), "dev.depthprobe.jobs.Main", "predict-depth",
        "--model", MODEL.toString(), "--image", photo.toString(), "--out", depth.toString());

    assertArrayEquals(new long[] {2000, 3000}, Npy.read(depth).shape(), "depth at the photo's size");
    Matcher peak = PEAK.matcher(output);
    assertTrue(peak.find(), output);
    LOG.info("3000x2000 photo through predict-depth with -Xmx4g: peak resident memory {} MiB", peak.group(1));
  }

  /** A smooth gradient with a pattern on it, as a JPEG: a photo's size without a photo's bytes in the repository. */
  private static void writePhoto(Path file, int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = x * 255 / width;
        int g = y * 255 / height;
        int b = ((x / 40 + y / 40) % 2) * 120 + 60;
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    ImageIO.write(image, "jpg", file.toFile());
  }
}
