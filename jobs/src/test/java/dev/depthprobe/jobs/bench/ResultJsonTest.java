package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultJsonTest {
  @Test
  void writesOneObjectPerCaseWithTheRequiredKeys(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bench.json");
    ResultJson.write(file, List.of(Results.of(PytorchPeer.GLPN_480X640, 4, 10, 156.6),
        Results.of("GLPN-b4 128x160", 1, 0.2, 8.5)));
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertTrue(json.isArray());
    assertEquals(2, json.size());
    JsonNode first = json.get(0);
    for (String key : List.of("case", "batch", "images_per_s", "model_gflops_per_image", "achieved_gflops_per_s",
        "sgemm_gflops_per_s", "peak_rss_mib")) {
      assertTrue(first.has(key), key);
    }
    assertEquals(PytorchPeer.GLPN_480X640, first.get("case").asText());
    assertEquals(0.4, first.get("images_per_s").asDouble(), 1e-12);
    assertEquals(0.4 * 156.6, first.get("achieved_gflops_per_s").asDouble(), 1e-9);
    assertEquals(0.307, first.get("pytorch_images_per_s").asDouble(), 1e-12);
    assertEquals(2, first.get("goals").size());
    assertTrue(json.get(1).get("pytorch_images_per_s").isNull());
  }
}
