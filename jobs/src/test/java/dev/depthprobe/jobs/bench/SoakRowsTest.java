package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SoakRowsTest {
  private static final List<String> INPUTS = List.of("a.jpg", "b.png", "corrupt/empty.png", "corrupt/not_an_image.jpg");

  @Test
  void oneRowPerInputHoldsAndCountsStatusesAndErrorKinds() {
    SoakRows rows = SoakRows.check(INPUTS, List.of(ok("a.jpg"), ok("b.png"),
        error("corrupt/empty.png", "decode: empty file"), error("corrupt/not_an_image.jpg", "decode: not an image")));

    assertTrue(rows.oneRowPerInput());
    assertEquals(4, rows.rowsIn());
    assertEquals(4, rows.rowsOut());
    assertEquals(Map.of("ok", 2L, "error", 2L), rows.byStatus());
    assertEquals(Map.of("decode", 2L), rows.byErrorKind());
    assertTrue(rows.missing().isEmpty());
  }

  @Test
  void anInputWithoutItsRowIsMissing() {
    SoakRows rows = SoakRows.check(INPUTS, List.of(ok("a.jpg"), error("corrupt/empty.png", "decode: empty file"),
        error("corrupt/not_an_image.jpg", "decode: not an image")));

    assertFalse(rows.oneRowPerInput());
    assertEquals(Set.of("b.png"), rows.missing());
    assertEquals(3, rows.rowsOut());
  }

  @Test
  void noOutputAtAllMissesEveryInput() {
    SoakRows rows = SoakRows.check(INPUTS, List.of());

    assertFalse(rows.oneRowPerInput());
    assertEquals(Set.copyOf(INPUTS), rows.missing());
    assertEquals(Map.of(), rows.byStatus());
  }

  @Test
  void aSecondRowForAnImageOrARowForNoInputBreaksOneRowPerInput() {
    SoakRows twice = SoakRows.check(List.of("a.jpg"), List.of(ok("a.jpg"), ok("a.jpg")));
    SoakRows stray = SoakRows.check(List.of("a.jpg"), List.of(ok("a.jpg"), ok("other.jpg")));

    assertFalse(twice.oneRowPerInput());
    assertEquals(Set.of("a.jpg"), twice.duplicated());
    assertFalse(stray.oneRowPerInput());
    assertEquals(Set.of("other.jpg"), stray.unexpected());
  }

  @Test
  void anErrorKindIsTheTextBeforeTheFirstColonAndAMissingErrorIsUnknown() {
    SoakRows rows = SoakRows.check(List.of("a", "b", "c"), List.of(error("a", "resource: needs 3 GiB: over 1 GiB"),
        error("b", null), error("c", "model")));

    assertEquals(Map.of("resource", 1L, "unknown", 1L, "model", 1L), rows.byErrorKind());
  }

  private static SoakRows.Row ok(String id) {
    return new SoakRows.Row(id, "ok", null);
  }

  private static SoakRows.Row error(String id, String error) {
    return new SoakRows.Row(id, "error", error);
  }
}
