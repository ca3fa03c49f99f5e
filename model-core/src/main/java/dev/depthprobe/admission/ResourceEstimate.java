package dev.depthprobe.admission;

import java.util.Locale;

/**
 * What running one batch of same-sized images is expected to take: peak JVM heap (decoded images, resize buffers,
 * pixel values, post-processing and output arrays), peak native memory outside the heap (ND4J activations and
 * workspaces, attention buffers; the model's weights are shared and not counted), the batch's {@link Work} and the wall seconds of the batch from decoding to the output.
 */
public record ResourceEstimate(long heapBytes, long nativeBytes, Work work, double seconds) {
  public Flops flops() {
    return work.flops();
  }

  public long totalBytes() {
    return heapBytes + nativeBytes;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "heap %s, native %s, %.1f GFLOP, %.1f s", bytes(heapBytes), bytes(nativeBytes),
        flops().gflop(), seconds);
  }

  /** {@code bytes} as MiB or GiB with one decimal, for messages. */
  public static String bytes(long bytes) {
    if (bytes == Long.MAX_VALUE) {
      return "unlimited";
    }
    double mib = bytes / (1024.0 * 1024.0);
    return mib >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", mib / 1024) : String.format(Locale.ROOT, "%.0f MiB", mib);
  }
}
