package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {
  @Test
  void readsRssAndPeakFromProcStatus() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  2097152 kB\nVmRSS:\t  1048576 kB\nThreads:\t40\n";
    ProcessMemory.Snapshot snapshot = ProcessMemory.parse(status);
    assertEquals(1024, snapshot.rssMib(), 1e-9);
    assertEquals(2048, snapshot.peakMib(), 1e-9);
  }

  @Test
  void thisProcessHasAPeakAtLeastItsCurrentRss() {
    ProcessMemory.Snapshot snapshot = ProcessMemory.read();
    assertTrue(snapshot.rssKib() > 0);
    assertTrue(snapshot.peakKib() >= snapshot.rssKib());
  }
}
