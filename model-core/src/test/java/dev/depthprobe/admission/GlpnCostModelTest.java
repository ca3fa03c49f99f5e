package dev.depthprobe.admission;

import dev.depthprobe.image.ImageHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depthprobe.glpn.GlpnConfig;
import dev.depthprobe.glpn.GlpnImageProcessor;
import dev.depthprobe.image.ResampleFilter;
import org.junit.jupiter.api.Test;

class GlpnCostModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final GlpnImageProcessor PROCESSOR = new GlpnImageProcessor(true, 32, ResampleFilter.BILINEAR, true,
      1 / 255.0);
  /** One gigaflop per second and thread for both kinds of FLOPs, no cost per score or pixel: seconds = GFLOP. */
  private static final Throughput ONE_GFLOP = new Throughput(1, 1, 0, 0, 0);

  /** One stage: width 8 = decoder width (no 1x1 conv), 3x3 patches of stride 2, sr 2, Mix-FFN width 16, depth 1. */
  private static GlpnConfig oneStage() {
    ObjectNode json = JSON.createObjectNode().put("model_type", "glpn").put("num_encoder_blocks", 1)
        .put("decoder_hidden_size", 8).put("max_depth", 10);
    json.putArray("depths").add(1);
    json.putArray("hidden_sizes").add(8);
    json.putArray("num_attention_heads").add(1);
    json.putArray("sr_ratios").add(2);
    json.putArray("patch_sizes").add(3);
    json.putArray("strides").add(2);
    json.putArray("mlp_ratios").add(2);
    return GlpnConfig.fromJson(json);
  }

  private static GlpnConfig glpnKitti() {
    ObjectNode json = JSON.createObjectNode().put("model_type", "glpn").put("decoder_hidden_size", 64)
        .put("max_depth", 80);
    json.putArray("depths").add(3).add(8).add(27).add(3);
    json.putArray("hidden_sizes").add(64).add(128).add(320).add(512);
    json.putArray("num_attention_heads").add(1).add(2).add(5).add(8);
    return GlpnConfig.fromJson(json);
  }

  @Test
  void flopsOfAOneStageModelMatchTheHandCount() {
    // 32x32 -> 16x16 tokens (T = 256), 8x8 reduced (R = 64); the head sees 64x64 = 4096 positions
    // conv multiply-adds: patch 3*8*9*256 + dwconv 9*256*16 + sr 8*8*4*64 + head 8*8*9*4096 + 8*9*4096
    // linear: 2*256*64 + 2*64*64 + 2*256*8*16; attention: 2*256*64*8
    Flops flops = GlpnFlops.perImage(oneStage(), 32, 32);
    assertEquals(2 * (55_296L + 36_864 + 16_384 + 2_359_296 + 294_912), flops.conv());
    assertEquals(2 * (32_768L + 8_192 + 65_536), flops.linear());
    assertEquals(2 * 262_144L, flops.attention());
    assertEquals(256 * 64, GlpnFlops.attentionScores(oneStage(), 32, 32));
  }

  @Test
  void memoryAndSecondsOfAOneStageModelMatchTheHandCount() {
    // 40x36 RGB (P = 1440) is processed at 32x32 (Q = 1024), batch 1, one thread
    ResourceEstimate estimate = new GlpnCostModel(oneStage(), PROCESSOR, ONE_GFLOP)
        .estimate(ImageHeader.rgb(40, 36), 1, 1);
    // live: 3P held + max(decode 3P + 3P, post 4Q + 4P) + 4 * 2^18 attention scores
    assertEquals((4_320 + 9_856 + 1_048_576) * 13 / 10, estimate.heapBytes());
    // 4 * (kept (8 + 20)Q + 2TC + 6TD + block max(attention 8192, Mix-FFN 10240, fusion 13824)
    //      + one head band of 4096 * 8 inputs and as many conv1 outputs + per thread 2 * 64 * 8 + 2 * 2^18)
    assertEquals(4 * (28_672 + 4_096 + 12_288 + 13_824 + 65_536 + 1_024 + 524_288), estimate.nativeBytes());
    assertEquals(estimate.flops().total() / 1e9, estimate.seconds(), 1e-15);
  }

  @Test
  void glpnKittiAt640x480CountsWhatTheBenchmarkCounted() {
    // 156.6 GFLOP, the figure in BENCH.md and issue 11 (157 GFLOP at 640x480), of which 23.3 in attention
    Flops flops = GlpnFlops.perImage(glpnKitti(), 480, 640);
    assertEquals(156_552_960_000L, flops.total());
    assertEquals(23_316_480_000L, flops.attention());
  }

  @Test
  void everyEstimateGrowsWithTheImage() {
    GlpnCostModel model = new GlpnCostModel(glpnKitti(), PROCESSOR, Throughput.CALIBRATED);
    ResourceEstimate previous = null;
    for (int side = 64; side <= 4096; side *= 2) {
      ResourceEstimate estimate = model.estimate(ImageHeader.rgb(side * 4 / 3, side), 1, 2);
      if (previous != null) {
        assertTrue(estimate.heapBytes() > previous.heapBytes(), side + ": heap");
        assertTrue(estimate.nativeBytes() > previous.nativeBytes(), side + ": native");
        assertTrue(estimate.flops().total() > previous.flops().total(), side + ": FLOPs");
        assertTrue(estimate.seconds() > previous.seconds(), side + ": seconds");
      }
      previous = estimate;
    }
  }

  @Test
  void largeImagesTakeMoreSecondsPerFlop() {
    GlpnCostModel model = new GlpnCostModel(glpnKitti(), PROCESSOR, Throughput.CALIBRATED);
    ResourceEstimate small = model.estimate(ImageHeader.rgb(640, 480), 1, 2);
    ResourceEstimate large = model.estimate(ImageHeader.rgb(4000, 3000), 1, 2);
    assertTrue(large.seconds() / large.flops().total() > 1.2 * small.seconds() / small.flops().total());
  }

  @Test
  void largeImagesTakeMoreSecondsPerPixel() {
    GlpnCostModel model = new GlpnCostModel(glpnKitti(), PROCESSOR, Throughput.CALIBRATED);
    ResourceEstimate small = model.estimate(ImageHeader.rgb(640, 480), 1, 2);
    ResourceEstimate large = model.estimate(ImageHeader.rgb(4000, 3000), 1, 2);
    double pixels = 4000.0 * 3000 / (640 * 480);
    assertTrue(large.seconds() / small.seconds() > 3 * pixels, "attention grows with the square of the tokens");
  }

  @Test
  void aBatchNeedsMoreThanOneImageAndMoreThreadsTakeLessTime() {
    GlpnCostModel model = new GlpnCostModel(glpnKitti(), PROCESSOR, Throughput.CALIBRATED);
    ImageHeader header = ImageHeader.rgb(640, 480);
    ResourceEstimate one = model.estimate(header, 1, 1);
    ResourceEstimate four = model.estimate(header, 4, 1);
    assertTrue(four.nativeBytes() > 3 * one.nativeBytes() && four.heapBytes() > one.heapBytes());
    assertEquals(4 * one.flops().total(), four.flops().total());
    assertTrue(model.estimate(header, 1, 2).seconds() < one.seconds());
  }

  @Test
  void aMultiScanJpegsCoefficientBufferIsNativeMemoryOnce() {
    GlpnCostModel model = new GlpnCostModel(glpnKitti(), PROCESSOR, Throughput.CALIBRATED);
    ResourceEstimate streamed = model.estimate(new ImageHeader("jpeg", 640, 480, 3, 8, 1), 4, 2);
    ResourceEstimate buffered = model.estimate(new ImageHeader("jpeg", 640, 480, 3, 8, 1, 921_600), 4, 2);
    assertEquals(921_600, buffered.nativeBytes() - streamed.nativeBytes()); // one image decodes at a time
    assertEquals(streamed.heapBytes(), buffered.heapBytes());
    assertEquals(streamed.seconds(), buffered.seconds());
  }
}
