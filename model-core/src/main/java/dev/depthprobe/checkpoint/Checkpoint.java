package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face checkpoint on this machine: {@code config.json}, {@code preprocessor_config.json} and
 * the weights ({@code model.safetensors}, {@code pytorch_model.bin}, or either sharded with an index),
 * in a plain folder or a Hugging Face cache folder, as {@link CheckpointLocation} resolves it on any
 * file system. Weights are read on demand by {@link #weights()}.
 */
public final class Checkpoint {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);

  private final CheckpointLocation location;
  private final Path dir;
  private final JsonNode config;
  private final JsonNode preprocessorConfig;
  private final WeightFiles weightFiles;
  private String contentHash;

  private Checkpoint(CheckpointLocation location, Path dir, JsonNode config, JsonNode preprocessorConfig,
      WeightFiles weightFiles) {
    this.location = location;
    this.dir = dir;
    this.config = config;
    this.preprocessorConfig = preprocessorConfig;
    this.weightFiles = weightFiles;
  }

  /** Opens a checkpoint folder, a {@code models--ORG--NAME} cache folder, or one of its snapshots. */
  public static Checkpoint open(Path path) {
    CheckpointLocation location = CheckpointLocation.resolve(new LocalFolder(path));
    Path dir = ((LocalFolder) location.dir()).path();
    JsonNode config = CheckpointLocation.parseObject(location.dir(), CheckpointLocation.CONFIG);
    JsonNode preprocessorConfig = CheckpointLocation.parseObject(location.dir(), CheckpointLocation.PREPROCESSOR_CONFIG);
    return new Checkpoint(location, dir, config, preprocessorConfig,
        WeightFiles.find(dir, WeightFiles.names(location.dir())));
  }

  /** The folder holding the files (for a cache folder, the snapshot of {@code refs/main}). */
  public Path dir() {
    return dir;
  }

  /** {@code ORG/NAME@rev} for a Hugging Face cache folder, else the folder's name. */
  public String displayName() {
    return location.displayName();
  }

  public JsonNode config() {
    return config;
  }

  public JsonNode preprocessorConfig() {
    return preprocessorConfig;
  }

  /** The files {@link #weights()} reads: one weight file, or an index followed by its shards. */
  public List<Path> weightFiles() {
    return weightFiles.files();
  }

  public StateDict weights() {
    long start = System.nanoTime();
    StateDict weights = weightFiles.load();
    LOG.info("Loaded {} tensors of {} from {} in {} ms", weights.tensors().size(), displayName(),
        weightFiles.files().get(0).getFileName(), (System.nanoTime() - start) / 1_000_000);
    return weights;
  }

  /**
   * Checks the weight files' structure as {@link #weights()} does, without reading the tensors' data (safetensors
   * headers; a {@code pytorch_model.bin}'s pickle, zip entries and views; a shard index's map), so that a broken or
   * hostile file is refused, in one line, before any weights are loaded.
   */
  public void checkWeightFiles() {
    long start = System.nanoTime();
    int tensors = weightFiles.check().size();
    LOG.info("Checked {} tensors of {} in {} ms", tensors, displayName(), (System.nanoTime() - start) / 1_000_000);
  }

  /** The weights and the content hash of the files they were read from. */
  public record HashedWeights(StateDict weights, String contentHash) {}

  /**
   * {@link #weights()} and {@link #contentHash()} of the same bytes, hashed as they are read: each safetensors file
   * is read once (a {@code pytorch_model.bin}, which the zip reader reads by random access, is streamed once more).
   */
  public HashedWeights weightsAndContentHash() {
    long start = System.nanoTime();
    ContentHash hash = ContentHash.start();
    hash.addFile(location.dir(), CheckpointLocation.CONFIG);
    hash.addFile(location.dir(), CheckpointLocation.PREPROCESSOR_CONFIG);
    StateDict weights = weightFiles.load(hash);
    String hex = hash.hex();
    LOG.info("Loaded and hashed {} tensors of {} from {} in {} ms", weights.tensors().size(), displayName(),
        weightFiles.files().get(0).getFileName(), (System.nanoTime() - start) / 1_000_000);
    return new HashedWeights(weights, hex);
  }

  /** The {@link ContentHash} of the checkpoint's files; computed once, streaming. */
  public synchronized String contentHash() {
    if (contentHash == null) {
      long start = System.nanoTime();
      contentHash = location.contentHash();
      LOG.debug("Hashed {} in {} ms: {}", displayName(), (System.nanoTime() - start) / 1_000_000, contentHash);
    }
    return contentHash;
  }

  /** A local JSON file, parsed; a missing, broken or non-object file is a {@link CheckpointException}. */
  static JsonNode readJson(Path file) {
    return CheckpointLocation.parseObject(new LocalFolder(file.getParent() == null ? Path.of(".") : file.getParent()),
        file.getFileName().toString());
  }
}
