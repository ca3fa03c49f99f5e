package dev.depthprobe.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.checkpoint.SafetensorsWriter;
import dev.depthprobe.glpn.GlpnConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A GLPN checkpoint folder with random weights, as transformers saves one, for jobs that read a path. */
public final class RandomCheckpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RandomCheckpoint() {}

  /** Writes config.json, preprocessor_config.json (transformers' defaults) and model.safetensors into {@code dir}. */
  public static Path writeGlpn(Path dir, ObjectNode configJson, long seed) throws IOException {
    GlpnConfig config = GlpnConfig.fromJson(configJson);
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("config.json").toFile(), configJson);
    ObjectNode processor = JSON.createObjectNode().put("image_processor_type", "GLPNImageProcessor")
        .put("do_resize", true).put("size_divisor", 32).put("resample", 2).put("do_rescale", true);
    JSON.writeValue(dir.resolve("preprocessor_config.json").toFile(), processor);
    SafetensorsWriter.write(dir.resolve("model.safetensors"), RandomStateDict.tensors(GlpnCheckpointLayout.of(config), seed));
    return dir;
  }
}
