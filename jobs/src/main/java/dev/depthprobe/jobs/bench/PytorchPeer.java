package dev.depthprobe.jobs.bench;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * The PyTorch peer's images/s on this project's machines (transformers 4.37.2, PyTorch 1.13, 2 threads,
 * float32, random weights): the table of {@code shared/fixtures/BENCH.md}, keyed by case and batch.
 */
public final class PytorchPeer {
  public static final String GLPN_480X640 = "GLPN-b4 480x640";
  public static final String GLPN_352X1216 = "GLPN-b4 352x1216";
  public static final String IMAGEGPT_FULL = "ImageGPT-small 24 layers";
  /** Our layer-12 probe (an early exit); the peer ran the first 12 layers. */
  public static final String IMAGEGPT_PROBE_12 = "ImageGPT-small layer-12 probe";

  private static final Map<String, Map<Integer, Double>> IMAGES_PER_S = Map.of(
      GLPN_480X640, Map.of(1, 0.177, 4, 0.307),
      GLPN_352X1216, Map.of(1, 0.144, 4, 0.164),
      IMAGEGPT_FULL, Map.of(1, 0.185, 8, 0.273, 32, 0.223),
      IMAGEGPT_PROBE_12, Map.of(1, 0.353, 8, 0.510, 32, 0.426));

  private PytorchPeer() {}

  public static OptionalDouble imagesPerS(String caseName, int batch) {
    Double value = IMAGES_PER_S.getOrDefault(caseName, Map.of()).get(batch);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }
}
