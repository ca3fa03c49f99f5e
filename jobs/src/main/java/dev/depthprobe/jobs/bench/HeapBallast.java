package dev.depthprobe.jobs.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Heap held on purpose so that a given number of bytes stays free: a least-heap trial's heap, limited after the model
 * has loaded and warmed up, so that what the load needed for a moment and what is collectable garbage at that point
 * do not count. Chunks are small (not humongous), so a full collection compacts them like any other object.
 */
final class HeapBallast {
  private static final int CHUNK = 64 << 10;
  /** A byte array's header: what a chunk holds beyond its data. */
  private static final int HEADER = 16;
  private static final int ROUNDS = 8;

  private HeapBallast() {
  }

  /** Ballast leaving {@code freeBytes} of the maximum heap free after a full collection (to within one chunk). */
  static List<byte[]> leaving(long freeBytes) {
    long extra = freeAfterGc() - freeBytes;
    if (extra < 0) {
      throw new IllegalStateException("the heap has less than " + freeBytes + " bytes free before any ballast");
    }
    List<byte[]> chunks = new ArrayList<>();
    for (int round = 0; round < ROUNDS && extra >= CHUNK; round++) {
      for (long i = extra / CHUNK; i > 0; i--) {
        chunks.add(new byte[CHUNK - HEADER]);
      }
      extra = freeAfterGc() - freeBytes;
    }
    return chunks;
  }

  /** The maximum heap less what is in use (after a collection: less what is live). */
  static long freeAfterGc() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
  }
}
