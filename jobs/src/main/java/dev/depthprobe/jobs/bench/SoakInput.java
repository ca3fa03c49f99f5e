package dev.depthprobe.jobs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak benchmark's input folder: the planned synthetic images at its top and the bundled corrupt files (copies
 * of the shared datasets' {@code photos/corrupt/}, see {@code soak-corrupt/SOURCE.md}) under {@value #CORRUPT_DIR}/.
 */
public final class SoakInput {
  private static final Logger LOG = LoggerFactory.getLogger(SoakInput.class);
  static final String CORRUPT_DIR = "corrupt";
  /** The bundled corrupt files, each of which the depth job must turn into an error row. */
  static final List<String> CORRUPT_FILES =
      List.of("china_truncated_40pct.jpg", "coffee_corrupt_idat.png", "not_an_image.jpg", "empty.png");
  private static final String CORRUPT_RESOURCES = "soak-corrupt/";

  private SoakInput() {}

  /** Writes the images and the corrupt files into {@code dir}; returns their image ids (paths relative to dir). */
  public static List<String> write(Path dir, List<SoakPlan.Image> plan) throws IOException {
    Files.createDirectories(dir.resolve(CORRUPT_DIR));
    List<String> ids = new ArrayList<>();
    for (SoakPlan.Image image : plan) {
      Path file = dir.resolve(image.name());
      String formatName = image.format().extension();
      if (!ImageIO.write(SyntheticImages.image(image.width(), image.height(), new SplittableRandom(image.pixelSeed())),
          formatName, file.toFile())) {
        throw new IOException("no " + formatName + " writer for " + file);
      }
      ids.add(image.name());
      if (ids.size() % 100 == 0) {
        LOG.info("soak input: {} of {} images written", ids.size(), plan.size());
      }
    }
    for (String name : CORRUPT_FILES) {
      try (InputStream in = SoakInput.class.getResourceAsStream(CORRUPT_RESOURCES + name)) {
        if (in == null) {
          throw new IllegalStateException("the bundled resource " + CORRUPT_RESOURCES + name + " is not on the classpath");
        }
        Files.copy(in, dir.resolve(CORRUPT_DIR).resolve(name));
      }
      ids.add(CORRUPT_DIR + "/" + name);
    }
    return ids;
  }
}
