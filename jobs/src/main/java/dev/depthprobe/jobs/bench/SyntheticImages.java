package dev.depthprobe.jobs.bench;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Photo-like JPEG files (a gradient, shapes and noise) for benchmarks that read images from disk. */
public final class SyntheticImages {
  private SyntheticImages() {}

  public static List<Path> writeJpegs(Path dir, int count, int width, int height, long seed) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(seed);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path file = dir.resolve(String.format("image_%03d.jpg", i));
      if (!ImageIO.write(image(width, height, random), "jpg", file.toFile())) {
        throw new IOException("no JPEG writer for " + file);
      }
      files.add(file);
    }
    return files;
  }

  static BufferedImage image(int width, int height, SplittableRandom random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, color(random), width, height, color(random)));
    g.fillRect(0, 0, width, height);
    for (int s = 0; s < 12; s++) {
      g.setColor(color(random));
      g.fillOval(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width / 2),
          1 + random.nextInt(height / 2));
    }
    g.dispose();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = image.getRGB(x, y);
        int noise = random.nextInt(17) - 8;
        image.setRGB(x, y, (clamp((rgb >> 16 & 0xff) + noise) << 16) | (clamp((rgb >> 8 & 0xff) + noise) << 8)
            | clamp((rgb & 0xff) + noise));
      }
    }
    return image;
  }

  private static Color color(SplittableRandom random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
