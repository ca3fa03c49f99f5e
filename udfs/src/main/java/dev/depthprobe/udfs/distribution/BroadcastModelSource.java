package dev.depthprobe.udfs.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.udfs.ModelPayload;
import org.apache.spark.broadcast.Broadcast;

/**
 * Weights broadcast from the driver as a {@link ModelPayload}. The key and label travel with the
 * function, so a task whose model is already cached never touches the broadcast.
 */
public final class BroadcastModelSource extends CheckpointSource {
  private static final long serialVersionUID = 1L;

  private final Broadcast<ModelPayload> payload;

  BroadcastModelSource(Broadcast<ModelPayload> payload, String key, String label, long weightBytes) {
    super(key, label, weightBytes);
    this.payload = payload;
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
