package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeapBallastTest {
  private static final long MIB = 1 << 20;
  private static final int CHUNK = (64 << 10) - 16; // 16 to a G1 region of 1 MiB, with their headers

  @Test
  void whatTheBallastLeavesFreeHoldsAllocationsBelowItAndNotAbove() throws Exception {
    assertEquals(0, allocateInChild(32 * MIB, 28 * MIB), "28 MiB in 32 MiB free");
    assertEquals(3, allocateInChild(32 * MIB, 40 * MIB), "40 MiB in 32 MiB free: out of memory");
  }

  /** Exit code of a 128 MiB JVM that leaves {@code free} bytes free, then allocates {@code allocate} bytes. */
  private static int allocateInChild(long free, long allocate) throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        Child.class.getName(), Long.toString(free), Long.toString(allocate)).inheritIO().start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child did not end");
    }
    return process.exitValue();
  }

  /** {@code FREE ALLOCATE}: ballast leaving FREE bytes, then ALLOCATE bytes in arrays of 64 KiB with their headers, all kept. */
  public static final class Child {
    public static void main(String[] args) {
      List<byte[]> ballast = HeapBallast.leaving(Long.parseLong(args[0]));
      List<byte[]> kept = new ArrayList<>();
      System.out.println(ballast.size() + " ballast chunks, " + HeapBallast.freeAfterGc() + " bytes free");
      for (long left = Long.parseLong(args[1]); left > 0; left -= CHUNK) {
        kept.add(new byte[CHUNK]);
      }
    }
  }
}
