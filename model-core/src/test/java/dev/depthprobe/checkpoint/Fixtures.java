package dev.depthprobe.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/** The fixture checkpoints on the test classpath, raw tensor bytes, and assertions shared by the checkpoint tests. */
final class Fixtures {
  private Fixtures() {}

  /** {@code values} as integers of {@code width} bytes (2, 4 or 8) in {@code order}. */
  static byte[] integers(ByteOrder order, int width, long... values) {
    ByteBuffer b = ByteBuffer.allocate(width * values.length).order(order);
    for (long v : values) {
      switch (width) {
        case 2 -> b.putShort((short) v);
        case 4 -> b.putInt((int) v);
        default -> b.putLong(v);
      }
    }
    return b.array();
  }

  /** {@code values} as float64 in {@code order}. */
  static byte[] doubles(ByteOrder order, double... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(order);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  /** {@code fixtures/<model>/<variant>}, e.g. ("glpn-tiny", "model-bin"). */
  static Path checkpointDir(String model, String variant) {
    String resource = "/fixtures/" + model + "/" + variant;
    URL url = Fixtures.class.getResource(resource);
    if (url == null) {
      throw new IllegalStateException("test resource " + resource + " is missing");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies config.json and preprocessor_config.json of {@code from} into {@code to} (created). */
  static Path copyConfigs(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (String name : new String[] {"config.json", "preprocessor_config.json"}) {
      Files.copy(from.resolve(name), to.resolve(name));
    }
    return to;
  }

  static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, e) -> {
      Tensor a = actual.get(name);
      assertArrayEquals(e.shape(), a.shape(), name);
      assertArrayEquals(e.toArray(), a.toArray(), name);
    });
  }

  /** Asserts that {@code action} throws a CheckpointException whose one-line message holds every fragment. */
  static CheckpointException assertFailsNaming(Executable action, String... fragments) {
    CheckpointException e = assertThrows(CheckpointException.class, action);
    assertTrue(e.getMessage().lines().count() == 1, "one-line message: " + e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention '" + fragment + "'");
    }
    return e;
  }
}
