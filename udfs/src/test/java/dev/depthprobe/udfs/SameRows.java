package dev.depthprobe.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Rows equal field by field, float arrays within a relative tolerance: a batch made of other images can differ in
 * the last float bits (BLAS splits its sums by shape), while a mix-up of images or a shared buffer is far off.
 */
final class SameRows {
  private static final double RELATIVE = 1e-6;

  private SameRows() {}

  static void assertSameRows(List<Row> expected, List<Row> actual) {
    assertEquals(expected.size(), actual.size(), "rows");
    for (int i = 0; i < expected.size(); i++) {
      assertSameRow(expected.get(i), actual.get(i));
    }
  }

  static void assertSameRow(Row expected, Row actual) {
    assertEquals(expected.schema(), actual.schema());
    for (int f = 0; f < expected.length(); f++) {
      Object e = expected.get(f);
      Object a = actual.get(f);
      if (e instanceof scala.collection.Seq<?> && a instanceof scala.collection.Seq<?>) {
        assertClose(expected.getList(f), actual.getList(f), expected + " field " + f);
      } else {
        assertEquals(e, a, "field " + expected.schema().fields()[f].name() + " of " + expected.get(0));
      }
    }
  }

  private static void assertClose(List<Object> expected, List<Object> actual, String what) {
    assertEquals(expected.size(), actual.size(), what + ": length");
    double max = 0;
    for (Object v : expected) {
      max = Math.max(max, Math.abs(((Number) v).doubleValue()));
    }
    for (int i = 0; i < expected.size(); i++) {
      double diff = Math.abs(((Number) expected.get(i)).doubleValue() - ((Number) actual.get(i)).doubleValue());
      assertTrue(diff <= RELATIVE * max, what + " [" + i + "]: " + expected.get(i) + " vs " + actual.get(i));
    }
  }
}
