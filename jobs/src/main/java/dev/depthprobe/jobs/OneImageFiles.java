package dev.depthprobe.jobs;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --model}, {@code --image} and {@code --out}: the checkpoint, the one image and the {@code .npy} that
 * predict-depth and predict-features read and write (a picocli mixin; each command's help says what it writes).
 */
final class OneImageFiles {
  @Option(names = "--model", required = true, paramLabel = "DIR")
  Path model;

  @Option(names = "--image", required = true, paramLabel = "FILE")
  Path image;

  @Option(names = "--out", required = true, paramLabel = "FILE.npy")
  Path out;
}
