package dev.depthprobe.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ContentHashTest {
  private static LocalFolder tinyGlpn() throws URISyntaxException {
    return new LocalFolder(Path.of(Objects.requireNonNull(
        ContentHashTest.class.getResource("/fixtures/glpn-tiny/model/config.json")).toURI()).getParent());
  }

  @Test
  void anInterruptedThreadStopsHashingWithACheckpointError() throws Exception {
    LocalFolder folder = tinyGlpn();
    Thread.currentThread().interrupt();
    try {
      CheckpointException e = assertThrows(CheckpointException.class,
          () -> ContentHash.of(folder, List.of("model.safetensors")));
      assertTrue(e.getMessage().endsWith("hashing interrupted"), e.getMessage());
    } finally {
      Thread.interrupted();
    }
  }
}
