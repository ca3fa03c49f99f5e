package dev.depthprobe.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A checkpoint folder on this machine's file system. */
public record LocalFolder(Path path) implements CheckpointFolder {
  @Override
  public String name() {
    Path abs = path.toAbsolutePath().normalize();
    return abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
  }

  @Override
  public CheckpointFolder parent() {
    Path parent = path.toAbsolutePath().normalize().getParent();
    return parent == null ? null : new LocalFolder(parent);
  }

  @Override
  public CheckpointFolder folder(String relative) {
    return new LocalFolder(path.resolve(relative));
  }

  @Override
  public boolean isFolder() {
    return Files.isDirectory(path);
  }

  @Override
  public boolean isFile(String name) {
    return Files.isRegularFile(path.resolve(name));
  }

  @Override
  public InputStream open(String name) throws IOException {
    return Files.newInputStream(path.resolve(name));
  }

  @Override
  public String locate(String name) {
    return path.resolve(name).toString();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
