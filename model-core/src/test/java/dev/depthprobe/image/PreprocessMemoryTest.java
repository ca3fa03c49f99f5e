package dev.depthprobe.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PreprocessMemoryTest {
  @Test
  void theHundredAndFiftyMegapixelPngPeaksWhileDecodingAndItsModelInputIsNative() {
    PreprocessMemory memory = PreprocessMemory.estimate(15_000, 10_000, 3, 8, 14_976, 9_984, ResampleFilter.BILINEAR);

    // decode: the decoder's 450 MB raster and its 450 MB RGB copy; the resize holds the RGB image and 134 rows
    assertEquals(900_000_000L, memory.heapBytes());
    assertEquals(14_976L * 9_984 * 3 * 4, memory.nativeBytes());
    assertEquals(memory.heapBytes() + memory.nativeBytes(), memory.totalBytes());
  }

  @Test
  void sixteenBitSamplesWithAlphaWidenTheDecodersRaster() {
    PreprocessMemory memory = PreprocessMemory.estimate(1000, 1000, 4, 16, 992, 992, ResampleFilter.BILINEAR);

    assertEquals(3_000_000L + 8_000_000L, memory.heapBytes());
  }

  @Test
  void anUpscalePeaksInTheResizeWithABandAndTheSourceRowsItReads() {
    // 100x100 to 3200x3200: a band of 64 output rows reads 64 + 3 source rows, each 3200 pixels wide after the
    // horizontal pass
    PreprocessMemory memory = PreprocessMemory.estimate(100, 100, 3, 8, 3200, 3200, ResampleFilter.BILINEAR);

    assertEquals(30_000L + (67 + 64) * 3200L * 3, memory.heapBytes());
  }

  @Test
  void aProbedHeaderCountsItsSidesUpright() {
    ImageHeader turned = new ImageHeader("jpeg", 3000, 4000, 3, 8, 6);

    assertEquals(PreprocessMemory.estimate(4000, 3000, 3, 8, 992, 736, ResampleFilter.BILINEAR),
        PreprocessMemory.estimate(turned, 992, 736, ResampleFilter.BILINEAR));
  }
}
