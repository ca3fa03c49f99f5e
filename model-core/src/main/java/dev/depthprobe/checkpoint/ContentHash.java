package dev.depthprobe.checkpoint;

import java.io.IOException;
import java.io.InputStream;
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
 * checkpoints that differ only in their processor (e.g. ImageGPT's clusters) do not.
 */
public final class ContentHash {
  private ContentHash() {}

  /** Streams the files of {@code dir}: the two configs, then {@code weightFiles} (names in {@code dir}). */
  public static String of(CheckpointFolder dir, List<String> weightFiles) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    List<String> files = new ArrayList<>(List.of(CheckpointLocation.CONFIG, CheckpointLocation.PREPROCESSOR_CONFIG));
    files.addAll(weightFiles);
    byte[] buffer = new byte[1 << 20];
    for (String file : files) {
      digest.update(file.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      try (InputStream in = dir.open(file)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          digest.update(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new CheckpointException(dir.locate(file) + ": cannot read (" + e.getMessage() + ")", e);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
