package dev.depthprobe.udfs.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.StateDict;
import java.io.Serializable;

/**
 * Where executors get a checkpoint: a broadcast ({@link BroadcastModelSource}) or a path all of them
 * see ({@link PathModelSource}). Partition functions capture one and build their model from it once
 * per executor and device, in the model cache under {@link #key()}. Both give the same key and label
 * for the same checkpoint, so the output does not depend on the distribution.
 */
public interface ModelSource extends Serializable {
  /** The checkpoint's content hash (as {@code Checkpoint.contentHash()}): the model cache key. */
  String key();

  /** The {@code model} column: {@code ORG/NAME@rev}, or the folder name and {@code @sha256:} and 12 hex digits. */
  String label();

  /**
   * The {@code model} column of a checkpoint: its name where it carries a revision ({@code ORG/NAME@rev}),
   * else the name and the first 12 hex digits of its content hash.
   */
  static String label(String displayName, String contentHash) {
    return displayName.contains("@") ? displayName : displayName + "@sha256:" + contentHash.substring(0, 12);
  }

  /** The size of the weights in bytes: what a model built from them holds, as the model cache counts it. */
  long weightBytes();

  /** BROADCAST or PATH. */
  ModelDistribution distribution();

  JsonNode config();

  JsonNode preprocessorConfig();

  /** The weights; on an executor this reads the broadcast or the path. */
  StateDict weights();
}
