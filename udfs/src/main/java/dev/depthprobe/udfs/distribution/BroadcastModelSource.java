package dev.depthprobe.udfs.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.udfs.ModelPayload;
import org.apache.spark.broadcast.Broadcast;

/**
 * Weights broadcast from the driver as a {@link ModelPayload}. The key and label travel with the
 * function, so a task whose model is already cached never touches the broadcast.
 */
public final class BroadcastModelSource implements ModelSource {
  private static final long serialVersionUID = 1L;

  private final Broadcast<ModelPayload> payload;
  private final String key;
  private final String label;

  BroadcastModelSource(Broadcast<ModelPayload> payload, String key, String label) {
    this.payload = payload;
    this.key = key;
    this.label = label;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public ModelDistribution distribution() {
    return ModelDistribution.BROADCAST;
  }

  @Override
  public JsonNode config() {
    return payload.value().config();
  }

  @Override
  public JsonNode preprocessorConfig() {
    return payload.value().preprocessorConfig();
  }

  @Override
  public StateDict weights() {
    return payload.value().weights();
  }
}
