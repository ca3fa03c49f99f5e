package dev.depthprobe.udfs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.SafetensorsReader;
import dev.depthprobe.checkpoint.SafetensorsWriter;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint in the compact form the driver broadcasts: the weights as safetensors bytes (never
 * Java serialisation of ND4J arrays), {@code config.json} and {@code preprocessor_config.json} as
 * text, the checkpoint's name and content hash. Executors build their model from it once per JVM
 * ({@link ModelCache}, keyed by {@link #key()}).
 *
 * <p>Each copy an executor deserialises logs one line, {@code Model NAME: received N MiB of broadcast
 * weights}: once per executor JVM, as the broadcast should arrive, the counterpart of path distribution's
 * {@code Copied checkpoint} line.
 */
public final class ModelPayload implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(ModelPayload.class);

  private final String name;
  private final String contentHash;
  private final String configJson;
  private final String preprocessorConfigJson;
  private final byte[] safetensors;

  private ModelPayload(String name, String contentHash, String configJson, String preprocessorConfigJson,
      byte[] safetensors) {
    this.name = name;
    this.contentHash = contentHash;
    this.configJson = configJson;
    this.preprocessorConfigJson = preprocessorConfigJson;
    this.safetensors = safetensors;
  }

  /** Reads the checkpoint's weights and files once, on the driver. */
  public static ModelPayload read(Checkpoint checkpoint) {
    return new ModelPayload(checkpoint.displayName(), checkpoint.contentHash(),
        checkpoint.config().toString(), checkpoint.preprocessorConfig().toString(),
        SafetensorsWriter.toBytes(checkpoint.weights().tensors()));
  }

  /** The model cache key: the checkpoint's content hash. */
  public String key() {
    return contentHash;
  }

  /** {@code ORG/NAME@rev} for a Hugging Face cache folder, else the checkpoint folder's name. */
  public String name() {
    return name;
  }

  /**
   * The {@code model} column: the name where it carries a revision ({@code ORG/NAME@rev}), else the
   * name and the first 12 hex digits of the content hash.
   */
  public String label() {
    return ModelSource.label(name, contentHash);
  }

  public JsonNode config() {
    return parse(configJson);
  }

  public JsonNode preprocessorConfig() {
    return parse(preprocessorConfigJson);
  }

  /** Size of the weights in bytes, as carried by the broadcast. */
  public long weightBytes() {
    return safetensors.length;
  }

  /** The weights, read from the payload's bytes in memory (F32 tensors are views of them). */
  public StateDict weights() {
    return new StateDict(name, SafetensorsReader.read(ByteBuffer.wrap(safetensors), name + " (broadcast weights)"));
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    LOG.info("Model {}: received {} MiB of broadcast weights", label(), safetensors.length >> 20);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("payload JSON does not parse", e);
    }
  }
}
