package dev.depthprobe.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.compute.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution on tokens (NHWC) over bands of output rows in parallel, each band one single-threaded
 * ND4J op that writes straight into its rows of the output. A band reads the input rows its kernel
 * covers; where it meets the top or bottom of the image, the vertical zero padding is added to a copy of
 * those rows. With one thread it is a single op over the whole map.
 */
public final class RowBands {
  /** An ND4J convolution from input (B, h, W, C) into output (B, h', W', C'). */
  @FunctionalInterface
  public interface Op {
    void apply(INDArray input, INDArray output);
  }

  /** Fewest output rows per band. */
  private static final int MIN_ROWS = 4;

  private RowBands() {}

  /**
   * x convolved with a kernel of {@code kernel} rows, {@code stride} and zero padding {@code padding}:
   * {@code padded} is the op with that padding, {@code unpadded} the same op without vertical padding.
   */
  public static Tokens forward(Tokens x, int outChannels, int kernel, int stride, int padding, Op padded, Op unpadded) {
    int outHeight = (x.height() + 2 * padding - kernel) / stride + 1;
    int outWidth = (x.width() + 2 * padding - kernel) / stride + 1;
    Tokens out = new Tokens(Nd4j.createUninitialized(DataType.FLOAT, (long) x.batch() * outHeight * outWidth,
        outChannels), x.batch(), outHeight, outWidth);
    int rows = x.batch() * outHeight;
    if (Parallel.threads(rows / MIN_ROWS) == 1) {
      padded.apply(x.nhwc(), out.nhwc());
      return out;
    }
    Parallel.forRanges(rows, MIN_ROWS, (from, to) -> {
      for (int start = from; start < to; start = (start / outHeight + 1) * outHeight) {
        int image = start / outHeight;
        int end = Math.min(to, (image + 1) * outHeight);
        band(x, out, image, start - image * outHeight, end - image * outHeight, kernel, stride, padding, unpadded);
      }
    });
    return out;
  }

  /** Output rows [first, last) of one image. */
  private static void band(Tokens x, Tokens out, int image, int first, int last, int kernel, int stride,
      int padding, Op unpadded) {
    int top = first * stride - padding; // input rows [top, bottom) feed the band, some maybe padding
    int bottom = (last - 1) * stride - padding + kernel;
    try (MemoryWorkspace ignored = ForwardWorkspaces.band()) {
      INDArray input = top >= 0 && bottom <= x.height()
          ? rows(x, image, top, bottom)
          : zeroPadded(x, image, top, bottom);
      unpadded.apply(input, rows(out, image, first, last));
    }
  }

  /** Rows [top, bottom) of one image, zero where they fall outside it: a new (1, bottom - top, W, C). */
  private static INDArray zeroPadded(Tokens x, int image, int top, int bottom) {
    INDArray band = Nd4j.create(DataType.FLOAT, 1, bottom - top, x.width(), x.channels());
    int from = Math.max(0, top);
    int to = Math.min(x.height(), bottom);
    int rowLength = x.width() * x.channels();
    JavaFloats.view(band).put((from - top) * rowLength, JavaFloats.view(rows(x, image, from, to)), 0,
        (to - from) * rowLength);
    return band;
  }

  /** Rows [first, last) of one image of the map as a (1, last - first, W, C) view. */
  private static INDArray rows(Tokens x, int image, int first, int last) {
    long rowLength = x.width();
    long start = ((long) image * x.height() + first) * rowLength;
    long end = ((long) image * x.height() + last) * rowLength;
    // (B*H*W, C) -> (rows * W, C) -> (1, rows, W, C)
    return x.values().get(interval(start, end), all()).reshape('c', 1, last - first, x.width(), x.channels());
  }
}
