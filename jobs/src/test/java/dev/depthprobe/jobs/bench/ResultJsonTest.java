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
    ResultJson.write(file, List.of(Results.of(GlpnBench.CASE_480X640, 1, 1.6, 156.6, 1050),
        Results.of("GLPN-b4 128x160", 1, 0.2, 8.5)), Issue13GoalsTest.PEERS);
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertTrue(json.isArray());
    assertEquals(2, json.size());
    JsonNode first = json.get(0);
    for (String key : List.of("case", "batch", "images_per_s", "model_gflops_per_image", "achieved_gflops_per_s",
        "sgemm_gflops_per_s", "ratio_to_sgemm", "peak_rss_mib", "run_seconds", "time_shares")) {
      assertTrue(first.has(key), key);
    }
    assertEquals(GlpnBench.CASE_480X640, first.get("case").asText());
    assertEquals(1, first.get("batch").asInt());
    assertEquals(0.625, first.get("images_per_s").asDouble(), 1e-12);
    assertEquals(0.625 * 156.6, first.get("achieved_gflops_per_s").asDouble(), 1e-9);
    assertEquals(0.5, first.get("ort_images_per_s").asDouble(), 1e-12);
    assertEquals(1.25, first.get("ratio_to_ort").asDouble(), 1e-12);
    assertEquals(1000, first.get("ort_peak_rss_mib").asDouble(), 1e-12);
    assertEquals(1.05, first.get("peak_rss_to_ort").asDouble(), 1e-12);
    assertEquals(0.25, first.get("pytorch_images_per_s").asDouble(), 1e-12);
    assertEquals(2.5, first.get("ratio_to_pytorch").asDouble(), 1e-12);
    assertEquals(4, first.get("goals").size());
    JsonNode stretch = first.get("goals").get(1);
    assertEquals("ORT images/s", stretch.get("measure").asText());
    assertEquals(">=", stretch.get("bound").asText());
    assertEquals(1.25, stretch.get("target").asDouble());
    assertTrue(stretch.get("stretch").asBoolean());
    assertTrue(stretch.get("met").asBoolean());
    assertEquals(0, stretch.get("margin").asDouble(), 1e-12);
    JsonNode second = json.get(1);
    for (String key : List.of("ort_images_per_s", "ratio_to_ort", "ort_peak_rss_mib", "peak_rss_to_ort",
        "pytorch_images_per_s", "ratio_to_pytorch")) {
      assertTrue(second.get(key).isNull(), key);
    }
    assertEquals(0, second.get("goals").size());
  }
}
