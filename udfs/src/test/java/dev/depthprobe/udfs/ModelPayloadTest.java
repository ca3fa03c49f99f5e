package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.checkpoint.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class ModelPayloadTest {
  @Test
  void serialisedPayloadIsTheWeightBytesPlusALittle() throws Exception {
    Checkpoint checkpoint = Checkpoint.open(DepthPartitionFunctionTest.GLPN_TINY);
    ModelPayload payload = ModelPayload.read(checkpoint);
    byte[] serialised = serialise(payload);
    long floats = checkpoint.weights().tensors().values().stream().mapToLong(Tensor::size).sum();
    assertTrue(payload.weightBytes() >= floats * 4);
    assertTrue(serialised.length < payload.weightBytes() + 16_384,
        "serialised " + serialised.length + " bytes for " + payload.weightBytes() + " bytes of weights");
  }

  @Test
  void deserialisedPayloadGivesBackTheCheckpoint() throws Exception {
    Checkpoint checkpoint = Checkpoint.open(DepthPartitionFunctionTest.GLPN_TINY);
    ModelPayload copy = deserialise(serialise(ModelPayload.read(checkpoint)));

    assertEquals(checkpoint.contentHash(), copy.key());
    assertEquals(checkpoint.config(), copy.config());
    assertEquals(checkpoint.preprocessorConfig(), copy.preprocessorConfig());
    assertEquals("model@sha256:" + checkpoint.contentHash().substring(0, 12), copy.label());
    StateDict original = checkpoint.weights();
    StateDict weights = copy.weights();
    assertEquals(original.tensors().keySet(), weights.tensors().keySet());
    original.tensors().forEach((name, t) -> {
      Tensor c = weights.tensors().get(name);
      assertArrayEquals(t.shape(), c.shape(), name);
      assertArrayEquals(t.toArray(), c.toArray(), name);
    });
  }

  static byte[] serialise(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  static ModelPayload deserialise(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (ModelPayload) in.readObject();
    }
  }
}
