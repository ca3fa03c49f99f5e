package dev.depthprobe.udfs.partition;

import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The rows of a task's images, ready to go out: as they come, or in the input's order (an image's
 * rows wait until every earlier image's rows are out).
 */
final class RowOutput {
  private final boolean inOrder;
  private final ArrayDeque<Row> ready = new ArrayDeque<>();
  private final TreeMap<Long, List<Row>> held = new TreeMap<>();
  private long nextSeq;

  RowOutput(boolean inOrder) {
    this.inOrder = inOrder;
  }

  boolean inOrder() {
    return inOrder;
  }

  /** The rows of the input image numbered {@code seq} (from 0, in input order). */
  void put(long seq, List<Row> rows) {
    if (!inOrder) {
      ready.addAll(rows);
      return;
    }
    held.put(seq, rows);
    while (!held.isEmpty() && held.firstKey() == nextSeq) {
      ready.addAll(held.pollFirstEntry().getValue());
      nextSeq++;
    }
  }

  boolean hasNext() {
    return !ready.isEmpty();
  }

  Row next() {
    return ready.poll();
  }
}
