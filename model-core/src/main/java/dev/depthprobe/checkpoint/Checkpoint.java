package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face checkpoint: {@code config.json}, {@code preprocessor_config.json} and the weights
 * ({@code model.safetensors}, {@code pytorch_model.bin}, or either sharded with an index), in a plain
 * folder or a Hugging Face cache folder (see {@link CheckpointLocation}). Weights are read on demand
 * by {@link #weights()}.
 */
public final class Checkpoint {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_JSON_BYTES = 64L << 20;

  private final CheckpointLocation location;
  private final JsonNode config;
  private final JsonNode preprocessorConfig;
  private final WeightFiles weightFiles;
  private String contentHash;

  private Checkpoint(CheckpointLocation location, JsonNode config, JsonNode preprocessorConfig,
      WeightFiles weightFiles) {
    this.location = location;
    this.config = config;
    this.preprocessorConfig = preprocessorConfig;
    this.weightFiles = weightFiles;
  }

  /** Opens a checkpoint folder, a {@code models--ORG--NAME} cache folder, or one of its snapshots. */
  public static Checkpoint open(Path path) {
    CheckpointLocation location = CheckpointLocation.resolve(path);
    Path dir = location.dir();
    return new Checkpoint(location, readJson(dir.resolve("config.json")),
        readJson(dir.resolve("preprocessor_config.json")), WeightFiles.find(dir));
  }

  /** The folder holding the files (for a cache folder, the snapshot of {@code refs/main}). */
  public Path dir() {
    return location.dir();
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
   * SHA-256 (hex) over {@code config.json}, {@code preprocessor_config.json} and the weight files, in
   * that order, each contributing its file name, a zero byte and its contents. Computed once,
   * streaming; the key of the executors' model cache, so two copies of the same checkpoint share it,
   * and two checkpoints that differ only in their processor (e.g. ImageGPT's clusters) do not.
   */
  public synchronized String contentHash() {
    if (contentHash == null) {
      long start = System.nanoTime();
      List<Path> files = new ArrayList<>(
          List.of(dir().resolve("config.json"), dir().resolve("preprocessor_config.json")));
      files.addAll(weightFiles());
      contentHash = sha256(files);
      LOG.debug("Hashed {} ({} files) in {} ms: {}", displayName(), files.size(),
          (System.nanoTime() - start) / 1_000_000, contentHash);
    }
    return contentHash;
  }

  private static String sha256(List<Path> files) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    byte[] buffer = new byte[1 << 20];
    for (Path file : files) {
      digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      try (InputStream in = Files.newInputStream(file)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          digest.update(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new CheckpointException(file + ": cannot read (" + e.getMessage() + ")", e);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(file + ": missing file");
    }
    JsonNode node;
    try {
      if (Files.size(file) > MAX_JSON_BYTES) {
        throw new CheckpointException(file + ": " + Files.size(file) + " bytes, more than a config or shard index "
            + "holds (at most " + MAX_JSON_BYTES + ")");
      }
      node = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new CheckpointException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    if (!node.isObject()) {
      throw new CheckpointException(file + ": not a JSON object");
    }
    return node;
  }
}
