package dev.depthprobe.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A folder of checkpoint files on some file system: a local folder ({@link LocalFolder}) or a Hadoop
 * file system's (in the Spark modules). The one resolver ({@link CheckpointLocation},
 * {@link WeightFiles}) and the one content hash ({@link ContentHash}) read checkpoints through it, so
 * the driver, a broadcast and executors reading a path agree on files, name and hash.
 */
public interface CheckpointFolder {
  /** The folder's own name (its last path element). */
  String name();

  /** The folder holding this one, or {@code null} at the root. */
  CheckpointFolder parent();

  /** A folder below this one ({@code snapshots/<rev>}). */
  CheckpointFolder folder(String relative);

  /** Whether this folder exists and is a folder. */
  boolean isFolder();

  /** Whether {@code name} is a regular file in this folder. */
  boolean isFile(String name);

  InputStream open(String name) throws IOException;

  /** Where {@code name} is, for messages. */
  String locate(String name);

  /** The most a config, ref or shard index may hold: a larger file is refused before it is read whole. */
  long MAX_TEXT_BYTES = 64L << 20;

  /**
   * A small file's text (a config, a ref, an index); a missing, unreadable or oversized (over
   * {@link #MAX_TEXT_BYTES}) one is a {@link CheckpointException}.
   */
  default String readText(String name) {
    if (!isFile(name)) {
      throw new CheckpointException(locate(name) + ": missing file");
    }
    try (InputStream in = open(name)) {
      byte[] bytes = in.readNBytes((int) MAX_TEXT_BYTES + 1);
      if (bytes.length > MAX_TEXT_BYTES) {
        throw new CheckpointException(locate(name) + ": more than " + MAX_TEXT_BYTES
            + " bytes, more than a config or shard index holds");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CheckpointException(locate(name) + ": cannot read (" + e.getMessage() + ")", e);
    } catch (UncheckedIOException e) {
      throw new CheckpointException(locate(name) + ": cannot read (" + e.getCause().getMessage() + ")", e);
    }
  }
}
