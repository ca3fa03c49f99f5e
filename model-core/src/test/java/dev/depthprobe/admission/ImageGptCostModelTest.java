package dev.depthprobe.admission;

import dev.depthprobe.image.ImageHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.imagegpt.ImageGptConfig;
import org.junit.jupiter.api.Test;

class ImageGptCostModelTest {
  private static final ImageGptConfig SMALL = ImageGptConfig.fromJson(new ObjectMapper().createObjectNode()
      .put("model_type", "imagegpt").put("vocab_size", 513).put("n_positions", 1024).put("n_embd", 512)
      .put("n_layer", 24).put("n_head", 8).put("activation_function", "quick_gelu"));

  @Test
  void imageGptSmallCountsWhatTheBenchmarkCounted() {
    // 24 x (2*1024*512*1536 + 2*1024*512*512 + 4*1024^2*512 + 4*1024*512*2048): 206.2 GFLOP as in BENCH.md
    assertEquals(206_158_430_208L, ImageGptCostModel.flops(SMALL, 1024, 24).total());
  }

  @Test
  void theForwardPassCostsTheSameForEveryImageAndOnlyDecodingGrows() {
    ImageGptCostModel model = new ImageGptCostModel(SMALL, 32, 32, 24, Throughput.CALIBRATED);
    ResourceEstimate small = model.estimate(ImageHeader.rgb(64, 48), 1, 2);
    ResourceEstimate large = model.estimate(ImageHeader.rgb(4000, 3000), 1, 2);
    assertEquals(small.flops(), large.flops());
    assertEquals(small.nativeBytes(), large.nativeBytes());
    assertTrue(large.heapBytes() > small.heapBytes() + 3L * 4000 * 3000);
    assertTrue(large.seconds() > small.seconds());
  }

  @Test
  void aProbeThatStopsEarlyCostsLess() {
    ImageHeader header = ImageHeader.rgb(640, 480);
    long full = new ImageGptCostModel(SMALL, 32, 32, 24, Throughput.CALIBRATED).estimate(header, 1, 1).flops().total();
    long probe = new ImageGptCostModel(SMALL, 32, 32, 12, Throughput.CALIBRATED).estimate(header, 1, 1).flops().total();
    assertEquals(full, 2 * probe);
  }

  @Test
  void sixteenBitRastersNeedMoreHeapToDecode() {
    ImageGptCostModel model = new ImageGptCostModel(SMALL, 32, 32, 24, Throughput.CALIBRATED);
    long eightBit = model.estimate(new ImageHeader("png", 4000, 3000, 4, 8, 1), 1, 1).heapBytes();
    long sixteenBit = model.estimate(new ImageHeader("png", 4000, 3000, 4, 16, 1), 1, 1).heapBytes();
    assertEquals(4L * 4000 * 3000 * 13 / 10, sixteenBit - eightBit); // the raster's second byte per sample (HeapUse)
  }

  @Test
  void aMultiScanJpegsCoefficientBufferIsNativeMemoryOnce() {
    ImageGptCostModel model = new ImageGptCostModel(SMALL, 32, 32, 24, Throughput.CALIBRATED);
    ResourceEstimate streamed = model.estimate(new ImageHeader("jpeg", 4000, 3000, 3, 8, 1), 4, 1);
    ResourceEstimate buffered = model.estimate(new ImageHeader("jpeg", 4000, 3000, 3, 8, 1, 36_000_000), 4, 1);
    assertEquals(36_000_000, buffered.nativeBytes() - streamed.nativeBytes()); // one image decodes at a time
    assertEquals(streamed.heapBytes(), buffered.heapBytes());
  }
}
