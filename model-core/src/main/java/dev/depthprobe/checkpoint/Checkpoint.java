package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face checkpoint folder: {@code config.json}, {@code preprocessor_config.json} and the
 * weights. Weights are read on demand by {@link #weights()}.
 */
public final class Checkpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final JsonNode config;
  private final JsonNode preprocessorConfig;

  private Checkpoint(Path dir, JsonNode config, JsonNode preprocessorConfig) {
    this.dir = dir;
    this.config = config;
    this.preprocessorConfig = preprocessorConfig;
  }

  public static Checkpoint open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException(dir + ": no such checkpoint folder");
    }
    return new Checkpoint(dir, readJson(dir.resolve("config.json")),
        readJson(dir.resolve("preprocessor_config.json")));
  }

  public Path dir() {
    return dir;
  }

  public JsonNode config() {
    return config;
  }

  public JsonNode preprocessorConfig() {
    return preprocessorConfig;
  }

  public StateDict weights() {
    Path st = dir.resolve("model.safetensors");
    if (Files.isRegularFile(st)) {
      return new StateDict(st.getFileName().toString(), SafetensorsReader.read(st));
    }
    throw new CheckpointException(dir + ": no weights (model.safetensors) in the checkpoint folder");
  }

  static JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(file + ": missing file");
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new CheckpointException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }
}
