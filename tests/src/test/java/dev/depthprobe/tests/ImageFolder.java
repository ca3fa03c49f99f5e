package dev.depthprobe.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A job's input folder made of copies of bundled files. */
final class ImageFolder {
  private ImageFolder() {}

  /** Creates {@code folder} and copies {@code files} into it, each under its own name; returns the folder. */
  static Path of(Path folder, Path... files) throws IOException {
    Files.createDirectories(folder);
    for (Path file : files) {
      Files.copy(file, folder.resolve(file.getFileName().toString()));
    }
    return folder;
  }
}
