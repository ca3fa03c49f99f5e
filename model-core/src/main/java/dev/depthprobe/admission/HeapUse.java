package dev.depthprobe.admission;

/**
 * The heap an image needs from the arrays live at its peak, as calibrated by {@code depthprobe bench calibrate
 * --least-heap}: the least free heap in which an image completes once its model has loaded, less the least one a
 * 64x64 image completes in, was 0.9 to 1.9 times the live arrays from 0.3 to 12 MP for the tiny GLPN and GLPN-b4
 * (an array of tens of MiB needs as many contiguous free regions of G1, which does not move such arrays):
 * {@code heap = 1.3 live}.
 */
final class HeapUse {
  private static final long FACTOR_TENTHS = 13;

  private HeapUse() {}

  static long of(long liveBytes) {
    return liveBytes * FACTOR_TENTHS / 10;
  }
}
