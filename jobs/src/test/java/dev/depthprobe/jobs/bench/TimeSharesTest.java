package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeSharesTest {
  @Test
  void describesGroupsWithTheirParts() {
    Map<String, Integer> samples = new LinkedHashMap<>();
    samples.put("encoder/attention", 30);
    samples.put("encoder/mix-ffn", 45);
    samples.put("encoder/rest", 5);
    samples.put("decoder", 5);
    samples.put("head", 15);
    samples.put(TimeShares.OTHER, 0);
    TimeShares shares = new TimeShares(samples, 1.0);
    assertEquals("encoder 80% (attention 30%, mix-ffn 45%, rest 5%), decoder 5%, head 15%, other 0%",
        shares.describe());
    assertEquals(0.45, shares.fraction("encoder/mix-ffn"), 1e-12);
  }

  @Test
  void noSamplesMeansNoShares() {
    TimeShares shares = new TimeShares(Map.of("head", 0), 0.001);
    assertEquals(0, shares.fraction("head"));
  }
}
