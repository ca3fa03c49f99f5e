package dev.depthprobe.datasets;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.imageio.ImageIO;

/** Classpath resources as paths, and PNG bytes decoded for comparisons. */
final class TestFiles {
  private TestFiles() {}

  /** A resource folder or file, such as {@code /cifar10} (test) or {@code /sample} (main). */
  static Path resource(String name) {
    try {
      return Paths.get(TestFiles.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(name, e);
    }
  }

  static BufferedImage decode(byte[] encoded) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
      if (image == null) {
        throw new IllegalStateException("not a readable image (" + encoded.length + " bytes)");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Packed 0xRRGGBB per pixel, row-major. */
  static int[] rgb(byte[] encoded) {
    BufferedImage image = decode(encoded);
    int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] &= 0xffffff;
    }
    return rgb;
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }
}
