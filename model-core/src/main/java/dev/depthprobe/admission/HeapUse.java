package dev.depthprobe.admission;

/**
 * Peak heap use from the arrays live at the peak, as calibrated by {@code depthprobe bench calibrate}: the collector
 * reclaims each phase's arrays (decoding, resizing, pixel values, post-processing) lazily, so the use the JVM sees
 * runs up to 1.7 times the live arrays, plus the young generation's garbage and ND4J's op objects:
 * {@code heap = 1.7 live + 40 MiB}.
 */
final class HeapUse {
  private static final long FACTOR_TENTHS = 17;
  private static final long ALLOWANCE = 40L << 20;

  private HeapUse() {}

  static long of(long liveBytes) {
    return liveBytes * FACTOR_TENTHS / 10 + ALLOWANCE;
  }
}
