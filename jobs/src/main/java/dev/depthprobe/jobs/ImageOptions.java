package dev.depthprobe.jobs;

import dev.depthprobe.errors.Messages;
import dev.depthprobe.image.ImageDecodeException;
import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.RgbImage;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --max-image-pixels}: the image loader's decompression-bomb limit, for the commands that decode images. */
final class ImageOptions {
  @Option(names = "--max-image-pixels", paramLabel = "N")
  long maxImagePixels = ImageLoader.DEFAULT_MAX_PIXELS;

  void validate() {
    if (maxImagePixels < 1) {
      throw new UserException("--max-image-pixels must be at least 1, got " + maxImagePixels);
    }
  }

  /** One image file, as transformers' load_image gives it; an unreadable one is a one-line user error. */
  RgbImage load(Path file) {
    validate();
    try {
      return new ImageLoader(maxImagePixels).load(file);
    } catch (ImageDecodeException e) {
      throw new UserException(Messages.oneLine(e));
    }
  }
}
