package dev.depthprobe.admission;

/**
 * The heap an image needs from the arrays live at its peak, as calibrated by {@code depthprobe bench calibrate
 * --least-heap} (the least maximum heap in which an image completes, over the heap in use before it): small images
 * need their arrays and a few MiB of the collector's and decoder's own, large ones up to 1.6 times their arrays (an
 * array of tens of MiB needs that many contiguous free regions, which the collector does not compact):
 * {@code heap = 1.5 live + 8 MiB}.
 */
final class HeapUse {
  private static final long FACTOR_TENTHS = 15;
  private static final long ALLOWANCE = 8L << 20;

  private HeapUse() {}

  static long of(long liveBytes) {
    return liveBytes * FACTOR_TENTHS / 10 + ALLOWANCE;
  }
}
