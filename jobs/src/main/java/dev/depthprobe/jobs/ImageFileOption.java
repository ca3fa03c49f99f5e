package dev.depthprobe.jobs;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --image}: the one image that predict-depth and predict-features run on (a picocli mixin). */
final class ImageFileOption {
  @Option(names = "--image", required = true, paramLabel = "FILE",
      description = "The image (JPEG, PNG, GIF, BMP, WebP; EXIF orientation applied).")
  Path file;
}
