package dev.depthprobe.jobs.bench;

/**
 * The least heap an image needs, bracketed by search: a case completes with {@code completes} bytes of heap beyond
 * what was in use before it, and ran out of heap with {@code fails} (0 when not tried: nothing completes in none).
 * {@code completes} is -1 when the case did not complete even in the largest heap tried, {@code fails}.
 */
record LeastHeap(long fails, long completes) {
  /** Whether a case completes in this many bytes of heap beyond the heap in use before it. */
  interface Trial {
    boolean completes(long bytes) throws Exception;
  }

  /** Tries {@code ceiling} first, then halves the bracket (geometrically) until its ends are within {@code ratio}. */
  static LeastHeap search(long ceiling, double ratio, Trial trial) throws Exception {
    if (!trial.completes(ceiling)) {
      return new LeastHeap(ceiling, -1);
    }
    long fails = 0;
    long completes = ceiling;
    while (fails == 0 ? completes > 1 << 20 : completes > ratio * fails) {
      long next = fails == 0 ? completes / 2 : (long) Math.sqrt((double) fails * completes);
      if (trial.completes(next)) {
        completes = next;
      } else {
        fails = next;
      }
    }
    return new LeastHeap(fails, completes);
  }

  boolean found() {
    return completes >= 0;
  }
}
