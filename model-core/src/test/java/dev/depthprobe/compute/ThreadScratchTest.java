package dev.depthprobe.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ThreadScratchTest {

  @Test
  void aThreadGetsItsArrayBackUntilItNeedsALargerOne() {
    ThreadScratch scratch = new ThreadScratch();
    float[] first = scratch.floats(100);
    assertTrue(first.length >= 100);
    assertSame(first, scratch.floats(50));
    float[] larger = scratch.floats(1000);
    assertEquals(1000, larger.length);
    assertSame(larger, scratch.floats(1000));
  }

  @Test
  void exactlyGivesAnArrayOfTheLengthAsked() {
    ThreadScratch scratch = new ThreadScratch();
    float[] row = scratch.exactly(64);
    assertEquals(64, row.length);
    assertSame(row, scratch.exactly(64));
    assertEquals(32, scratch.exactly(32).length);
  }

  @Test
  void eachThreadHasItsOwnArray() throws Exception {
    ThreadScratch scratch = new ThreadScratch();
    float[] mine = scratch.floats(10);
    float[] theirs = CompletableFuture.supplyAsync(() -> scratch.floats(10)).get();
    assertNotSame(mine, theirs);
    assertSame(mine, scratch.floats(10));
  }

  @Test
  void anArrayOverTheCapIsNotKept() {
    ThreadScratch scratch = new ThreadScratch();
    float[] kept = scratch.floats(10);
    float[] huge = scratch.floats(ThreadScratch.MAX_KEPT + 1);
    assertNotSame(huge, scratch.floats(ThreadScratch.MAX_KEPT + 1));
    assertSame(kept, scratch.floats(10));
  }
}
