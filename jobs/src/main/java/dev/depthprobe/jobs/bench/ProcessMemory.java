package dev.depthprobe.jobs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory from {@code /proc/self/status}: VmRSS (now) and VmHWM (the peak since
 * the start, or since {@link #resetPeak()}).
 */
public final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
  /** clear_refs value that resets VmHWM to the current RSS (Linux 4.0 and later). */
  private static final String RESET_PEAK = "5";

  /** Resident set sizes in KiB. */
  public record Snapshot(long rssKib, long peakKib) {
    public double rssMib() {
      return rssKib / 1024.0;
    }

    public double peakMib() {
      return peakKib / 1024.0;
    }
  }

  private ProcessMemory() {}

  /** Whether this system reports resident memory as Linux does. */
  public static boolean available() {
    return Files.isReadable(STATUS);
  }

  public static Snapshot read() {
    try {
      return parse(Files.readString(STATUS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + STATUS, e);
    }
  }

  /** The VmRSS and VmHWM lines of a {@code /proc/PID/status} text. */
  static Snapshot parse(String status) {
    return new Snapshot(kib(status, "VmRSS:"), kib(status, "VmHWM:"));
  }

  /** Makes VmHWM the current RSS; false where the kernel does not let this process do that. */
  public static boolean resetPeak() {
    try {
      Files.writeString(CLEAR_REFS, RESET_PEAK);
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  /** The current RSS after a full garbage collection, so that dead arrays' native memory is freed. */
  public static Snapshot afterGc() {
    System.gc();
    try {
      Thread.sleep(500); // ND4J frees native memory on its deallocator thread, after the collection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return read();
  }

  private static long kib(String status, String key) {
    return status.lines()
        .filter(line -> line.startsWith(key))
        .map(line -> line.substring(key.length()).trim())
        .map(value -> Long.parseLong(value.replace("kB", "").trim()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + key + " line in " + STATUS));
  }
}
