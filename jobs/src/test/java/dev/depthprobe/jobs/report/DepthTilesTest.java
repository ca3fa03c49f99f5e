package dev.depthprobe.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DepthTilesTest {

  @Test
  void aThumbnailPixelIsTheMeanOfTheFiniteValuesItCoversAndNaNWhereThereAreNone() {
    // 400x2 shrinks to 200x1: each thumbnail pixel covers a 2x2 block
    DepthTiles tiles = new DepthTiles(Path.of("unused"), 400, 2);
    float[] values = new float[800];
    Arrays.fill(values, Float.NaN);
    values[0] = 1;
    values[1] = 3;
    values[400] = Float.POSITIVE_INFINITY;
    values[2] = 5;

    float[] small = tiles.shrink(values, 2, 400);

    assertEquals(200, small.length);
    assertEquals(2f, small[0]);
    assertEquals(5f, small[1]);
    assertEquals(Float.NaN, small[2]);
  }

  @Test
  void thumbnailsKeepTheAspectWithinTheSize() {
    DepthTiles tiles = new DepthTiles(Path.of("unused"), 300, 600);
    float[] small = tiles.shrink(new float[300 * 600], 600, 300);
    assertEquals(DepthTiles.SIZE / 2 * DepthTiles.SIZE, small.length);
  }
}
