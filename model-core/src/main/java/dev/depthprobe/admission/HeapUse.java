package dev.depthprobe.admission;

/**
 * The heap an image needs from the arrays live at its peak, as calibrated by {@code depthprobe bench calibrate
 * --least-heap}: the least maximum heap in which an image completes, less the least one a 64x64 image completes in
 * (what the JVM, the collector and the model need whatever the image), was 1.0 to 1.55 times the live arrays from 0.3
 * to 12 MP (an array of tens of MiB needs as many contiguous free regions of G1, which does not move such arrays):
 * {@code heap = 1.3 live + 2 MiB}.
 */
final class HeapUse {
  private static final long FACTOR_TENTHS = 13;
  private static final long ALLOWANCE = 2L << 20;

  private HeapUse() {}

  static long of(long liveBytes) {
    return liveBytes * FACTOR_TENTHS / 10 + ALLOWANCE;
  }
}
