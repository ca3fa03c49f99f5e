package dev.depthprobe.glpn;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.FloatLoops;
import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.compute.Parallel;
import dev.depthprobe.compute.ThreadScratch;
import dev.depthprobe.nn.Gelu;
import dev.depthprobe.nn.Tokens;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * transformers GLPNDWConv: a depthwise 3x3 convolution (padding 1, with bias) on tokens, in Java: each output row
 * of pixels from its three input rows, a pixel's channels at a time, in loops HotSpot vectorises (1.7-2 ns an
 * element here, where ND4J's depthwise op took 3.6-5.6), each tap a {@link FloatLoops#multiplyAdd}. Rows are
 * shared out among the threads. Mix-FFN's GELU, which always follows it, runs on each output row while the row is
 * in the cache.
 */
final class DwConv {
  /** Each thread's three input rows, one after another (input row r in slot r % 3). */
  private static final ThreadScratch INPUT = new ThreadScratch();
  /** Each thread's output row. */
  private static final ThreadScratch OUTPUT = new ThreadScratch();
  /** Each thread's pixel of accumulated channels, and one tap's channels (see {@link FloatLoops#multiplyAdd}). */
  private static final ThreadScratch ACC = new ThreadScratch();
  private static final ThreadScratch TAP = new ThreadScratch();
  private static final ThreadLocal<Gelu> GELU = ThreadLocal.withInitial(Gelu::new);

  private final float[][] weight; // [ky * 3 + kx][C]
  private final float[] bias; // (C)

  DwConv(StateDict weights, String prefix, int channels) {
    // (C, 1, kh, kw) -> [kh * 3 + kw][C]
    float[] w = weights.take(prefix + ".weight", channels, 1, 3, 3).toArray();
    this.weight = new float[9][channels];
    for (int c = 0; c < channels; c++) {
      for (int tap = 0; tap < 9; tap++) {
        weight[tap][c] = w[c * 9 + tap];
      }
    }
    this.bias = weights.take(prefix + ".bias", channels).toArray();
  }

  /**
   * (B*H*W, C) tokens -> new (B*H*W, C) tokens, gelu(dwconv(x)): transformers'
   * {@code self.intermediate_act_fn(self.dwconv(hidden_states, height, width))}.
   */
  Tokens forwardGelu(Tokens x) {
    int channels = bias.length;
    int height = x.height();
    int width = x.width();
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, (long) x.batch() * height * width, channels);
    FloatBuffer in = JavaFloats.view(JavaFloats.contiguous(x.values()));
    FloatBuffer result = JavaFloats.view(out);
    int rows = x.batch() * height;
    int rowLength = width * channels;
    int threads = Parallel.threads(rows);
    int ranges = Math.min(rows, threads * 4);
    Parallel.forEach(threads, ranges, (thread, range) -> {
      float[] input = INPUT.floats(3 * rowLength);
      float[] output = OUTPUT.floats(rowLength);
      float[] acc = ACC.floats(channels);
      float[] tap = TAP.floats(channels);
      Gelu gelu = GELU.get();
      int from = (int) ((long) rows * range / ranges);
      int to = (int) ((long) rows * (range + 1) / ranges);
      for (int row = from; row < to; row++) {
        int y = row % height;
        long imageStart = (long) (row / height) * height * rowLength;
        loadInputRows(in, imageStart, y, height, rowLength, row == from || y == 0, input);
        convolveRow(input, y, height, width, channels, weight, bias, acc, tap, output);
        gelu.applyInPlace(output, rowLength);
        result.put((int) (imageStart + (long) y * rowLength), output, 0, rowLength);
      }
    });
    return x.with(out);
  }

  /** One output row from the input rows in slots (row % 3) of {@code input}, into {@code output} (width * channels). */
  private static void convolveRow(float[] input, int y, int height, int width, int channels, float[][] weight,
      float[] bias, float[] acc, float[] tap, float[] output) {
    int rowLength = width * channels;
    for (int x = 0; x < width; x++) {
      System.arraycopy(bias, 0, acc, 0, channels);
      for (int ky = 0; ky < 3; ky++) {
        int inputRow = y + ky - 1;
        if (inputRow < 0 || inputRow >= height) {
          continue; // zero padding
        }
        int slot = inputRow % 3 * rowLength;
        for (int kx = 0; kx < 3; kx++) {
          int inputColumn = x + kx - 1;
          if (inputColumn < 0 || inputColumn >= width) {
            continue;
          }
          FloatLoops.multiplyAdd(acc, input, slot + inputColumn * channels, weight[ky * 3 + kx], channels, tap);
        }
      }
      System.arraycopy(acc, 0, output, x * channels, channels);
    }
  }

  /**
   * The input rows output row {@code y} needs, into slots (row % 3) of {@code input}: all of them on a range's first
   * row of an image ({@code fresh}), else only row y + 1, as rows y - 1 and y are there from the row before. So a
   * range reads each input row once.
   */
  private static void loadInputRows(FloatBuffer in, long imageStart, int y, int height, int rowLength, boolean fresh,
      float[] input) {
    for (int inputRow = fresh ? Math.max(0, y - 1) : y + 1; inputRow <= Math.min(height - 1, y + 1); inputRow++) {
      in.get((int) (imageStart + (long) inputRow * rowLength), input, inputRow % 3 * rowLength, rowLength);
    }
  }
}
