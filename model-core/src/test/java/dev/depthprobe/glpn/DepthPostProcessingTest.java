package dev.depthprobe.glpn;

import static dev.depthprobe.glpn.GlpnFixtures.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthprobe.npy.NpyArray;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.nd4j.linalg.factory.Nd4j;

class DepthPostProcessingTest {
  @ParameterizedTest
  @FieldSource("dev.depthprobe.glpn.GlpnFixtures#CASES")
  void matchesTorchBicubicInterpolationOfTheFixtureDepth(String name) {
    NpyArray depth = GlpnFixtures.npy("cases/" + name + "/predicted_depth.npy");
    NpyArray expected = GlpnFixtures.npy("cases/" + name + "/depth_original_size.npy");
    float[] resized = DepthPostProcessing.resizeBicubic(depth.toFloatArray(), depth.dim(1), depth.dim(2),
        expected.dim(1), expected.dim(2));
    // not bit-exact: PyTorch's float32 sums round in another order (measured <= 8.2e-7 of the max)
    assertCloseRelative(Nd4j.create(expected.toFloatArray(), expected.shape(), 'c'),
        Nd4j.create(resized, expected.shape(), 'c'), 1e-6, name + " bicubic");
  }

  @Test
  void sameSizeIsTheIdentity() {
    float[] depth = {1f, 2f, 3f, 4f, 5f, 6f};
    assertArrayEquals(depth, DepthPostProcessing.resizeBicubic(depth, 2, 3, 2, 3));
  }

  @Test
  void constantDepthStaysConstantWhenShrunkOrEnlarged() {
    float[] depth = new float[12 * 10];
    Arrays.fill(depth, 3.25f);
    for (float v : DepthPostProcessing.resizeBicubic(depth, 12, 10, 5, 23)) {
      assertEquals(3.25f, v, 1e-6f * 3.25f);
    }
  }

  @Test
  void overshootsAtAStepAsCubicConvolutionDoes() {
    // a = -0.75: upsampling a step from 0 to 1 rings below 0 and above 1, as in PyTorch
    float[] step = {0f, 0f, 1f, 1f};
    float[] out = DepthPostProcessing.resizeBicubic(step, 1, 4, 1, 8);
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : out) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(-0.10546875f, min, 1e-6f);
    assertEquals(1.10546875f, max, 1e-6f);
  }
}
