package dev.depthprobe.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.image.ResizeBilinear;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torch nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False) on tokens, by ND4J's NHWC
 * resize_bilinear with half-pixel centers: the same source index {@code 0.5 * (dst + 0.5) - 0.5},
 * clamped at the borders (it interpolates as {@code a + (b - a) w} where PyTorch takes
 * {@code a (1 - w) + b w}, a difference of an ulp).
 */
public final class BilinearUpsample2x {
  private BilinearUpsample2x() {}

  /** (B*H*W, C) tokens -> new (B*2H*2W, C) tokens. */
  public static Tokens forward(Tokens x) {
    return Tokens.fromNhwc(resize(x.nhwc()));
  }

  /**
   * Output rows {@code [rowStart, rowEnd)} of the upsampled map, (B*(rowEnd - rowStart)*2W, C): only the
   * source rows they interpolate from (and one beyond, so that no border clamping differs) are resized.
   */
  public static Tokens rows(Tokens x, int rowStart, int rowEnd) {
    int first = Math.max(0, (rowStart - 1) / 2);
    int last = Math.min(x.height(), (rowEnd + 1) / 2 + 1);
    INDArray source = x.nhwc().get(all(), interval(first, last), all(), all()).dup('c'); // (B, last - first, W, C)
    INDArray resized = resize(source); // (B, 2 (last - first), 2W, C): output rows from 2 first on
    return Tokens.fromNhwc(resized.get(all(), interval(rowStart - 2 * first, rowEnd - 2 * first), all(), all())
        .dup('c'));
  }

  /** (B, H, W, C), c-ordered (ND4J's resize misreads views) -> a new (B, 2H, 2W, C). */
  private static INDArray resize(INDArray nhwc) {
    int height = 2 * (int) nhwc.size(1);
    int width = 2 * (int) nhwc.size(2);
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, nhwc.size(0), height, width, nhwc.size(3));
    Nd4j.exec(new ResizeBilinear(nhwc, out, height, width, false, true));
    return out;
  }
}
