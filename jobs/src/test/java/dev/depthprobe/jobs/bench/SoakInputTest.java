package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakInputTest {
  @TempDir
  Path dir;

  @Test
  void writesEveryPlannedImageAtItsSizeAndTheBundledCorruptFiles() throws Exception {
    List<SoakPlan.Image> plan = SoakPlan.images(4, 3);

    List<String> ids = SoakInput.write(dir, plan);

    assertEquals(plan.size() + SoakInput.CORRUPT_FILES.size(), ids.size());
    for (SoakPlan.Image image : plan) {
      BufferedImage read = ImageIO.read(dir.resolve(image.name()).toFile());
      assertEquals(image.width(), read.getWidth(), image.name());
      assertEquals(image.height(), read.getHeight(), image.name());
    }
    for (String name : SoakInput.CORRUPT_FILES) {
      assertTrue(ids.contains("corrupt/" + name), name);
      assertTrue(Files.isRegularFile(dir.resolve("corrupt").resolve(name)), name);
    }
    assertEquals(0, Files.size(dir.resolve("corrupt/empty.png")));
  }
}
