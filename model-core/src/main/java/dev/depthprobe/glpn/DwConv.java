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
    int threads = Parallel.threads(rows);
    int ranges = Math.min(rows, threads * 4);
    Parallel.forEach(threads, ranges, (thread, range) -> {
      RowBuffers buffers = RowBuffers.ofThisThread(width * channels, channels);
      int from = (int) ((long) rows * range / ranges);
      int to = (int) ((long) rows * (range + 1) / ranges);
      for (int row = from; row < to; row++) {
        row(buffers, in, result, row / height, row % height, height, width, channels);
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
   * Output row {@code y} of image {@code image}. Input row r is kept in slot r % 3, so that a range of rows
   * reads each input row once.
   */
  private void row(RowBuffers b, FloatBuffer in, FloatBuffer out, int image, int y, int height, int width,
      int channels) {
    int rowLength = width * channels;
    long imageStart = (long) image * height * rowLength;
    for (int inputRow = Math.max(0, y - 1); inputRow <= Math.min(height - 1, y + 1); inputRow++) {
      long key = (long) image * height + inputRow;
      if (b.loaded[inputRow % 3] != key) {
        in.get((int) (imageStart + (long) inputRow * rowLength), b.input, inputRow % 3 * rowLength, rowLength);
        b.loaded[inputRow % 3] = key;
      }
    }
    convolveRow(b.input, y, height, width, channels, weight, bias, b.acc, b.tap, b.output);
    b.gelu.applyInPlace(b.output, rowLength);
    out.put((int) (imageStart + (long) y * rowLength), b.output, 0, rowLength);
  }

  /**
   * One range's buffers: the thread's scratch arrays (kept from layer to layer and pass to pass, up to
   * {@link ThreadScratch}'s cap), its GELU, and which (image * height + row) each input slot holds, none yet.
   */
  private record RowBuffers(float[] input, float[] output, float[] acc, float[] tap, Gelu gelu, long[] loaded) {
    static RowBuffers ofThisThread(int rowLength, int channels) {
      return new RowBuffers(INPUT.floats(3 * rowLength), OUTPUT.floats(rowLength), ACC.floats(channels),
          TAP.floats(channels), GELU.get(), new long[] {-1, -1, -1});
    }
  }
}
