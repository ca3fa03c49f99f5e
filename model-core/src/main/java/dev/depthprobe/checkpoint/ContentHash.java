package dev.depthprobe.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A checkpoint's content hash: SHA-256 (hex) over {@code config.json}, {@code preprocessor_config.json}
 * and the weight files, in that order, each contributing its file name, a zero byte and its contents.
 * The key of the executors' model cache, so two copies of the same checkpoint share it, and two
 * checkpoints that differ only in their processor (e.g. ImageGPT's clusters) do not. Computed by
 * streaming the files ({@link #of}), or file by file as a loader reads them ({@link #start}).
 */
public final class ContentHash {
  private final MessageDigest digest;

  private ContentHash() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Streams the files of {@code dir}: the two configs, then {@code weightFiles} (names in {@code dir}). */
  public static String of(CheckpointFolder dir, List<String> weightFiles) {
    List<String> files = new ArrayList<>(List.of(CheckpointLocation.CONFIG, CheckpointLocation.PREPROCESSOR_CONFIG));
    files.addAll(weightFiles);
    ContentHash hash = new ContentHash();
    for (String file : files) {
      hash.addFile(dir, file);
    }
    return hash.hex();
  }

  /** A hash to which a loader adds the files in order: {@link #file}, then the file's bytes in order. */
  static ContentHash start() {
    return new ContentHash();
  }

  /**
   * Adds the whole of {@code dir}'s file {@code name}, streamed; an interrupt of the thread stops it between two
   * reads of 1 MiB, whatever file system the folder is on.
   */
  void addFile(CheckpointFolder dir, String name) {
    file(name);
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = dir.open(name)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
        if (Thread.currentThread().isInterrupted()) {
          throw new CheckpointException(dir.locate(name) + ": hashing interrupted");
        }
      }
    } catch (IOException e) {
      throw new CheckpointException(dir.locate(name) + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** Begins the file {@code name}: its bytes follow through {@link #update}. */
  void file(String name) {
    digest.update(name.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }

  /** The current file's next bytes: {@code bytes}' remaining ones, leaving its position unchanged. */
  void update(ByteBuffer bytes) {
    digest.update(bytes.duplicate());
  }

  String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
