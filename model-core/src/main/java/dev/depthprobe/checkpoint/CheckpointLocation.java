package dev.depthprobe.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a checkpoint's files are and what to call it. Accepts a plain folder, a Hugging Face cache
 * repository folder {@code models--ORG--NAME} (resolved through {@code refs/main} to
 * {@code snapshots/<rev>/}, as huggingface_hub does), or such a snapshot folder itself.
 */
record CheckpointLocation(Path dir, String displayName) {
  private static final String CACHE_PREFIX = "models--";

  static CheckpointLocation resolve(Path path) {
    if (!Files.isDirectory(path)) {
      throw new CheckpointException(path + ": no such checkpoint folder");
    }
    Path abs = path.toAbsolutePath().normalize();
    String name = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
    if (name.startsWith(CACHE_PREFIX)) {
      String rev = revision(path.resolve("refs").resolve("main"));
      Path snapshot = path.resolve("snapshots").resolve(rev);
      if (!Files.isDirectory(snapshot)) {
        throw new CheckpointException(path + ": refs/main names revision " + rev + " but snapshots/" + rev
            + " is missing");
      }
      return new CheckpointLocation(snapshot, repoId(name) + "@" + rev);
    }
    Path parent = abs.getParent();
    Path repo = parent == null ? null : parent.getParent();
    if (repo != null && repo.getFileName() != null && parent.getFileName().toString().equals("snapshots")
        && repo.getFileName().toString().startsWith(CACHE_PREFIX)) {
      return new CheckpointLocation(path, repoId(repo.getFileName().toString()) + "@" + name);
    }
    return new CheckpointLocation(path, name);
  }

  private static String revision(Path ref) {
    if (!Files.isRegularFile(ref)) {
      throw new CheckpointException(ref + ": missing file (a Hugging Face cache folder needs refs/main)");
    }
    try {
      String rev = Files.readString(ref).trim();
      if (rev.isEmpty() || rev.contains("/") || rev.contains("\\") || rev.equals("..")) {
        throw new CheckpointException(ref + ": not a revision ('" + rev + "')");
      }
      return rev;
    } catch (IOException e) {
      throw new CheckpointException(ref + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** {@code models--ORG--NAME} -> {@code ORG/NAME}. */
  private static String repoId(String cacheFolder) {
    return cacheFolder.substring(CACHE_PREFIX.length()).replace("--", "/");
  }
}
