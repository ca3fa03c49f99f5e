package dev.depthprobe.glpn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * transformers GLPNDepthEstimationHead: conv3x3, ReLU, conv3x3 to one channel, {@code sigmoid * max_depth}.
 * It runs over bands of output rows (with the two rows of context each side that two 3x3 convs need),
 * together with the decoder's final x2 upsampling, so the full-resolution features never exist at once.
 */
final class DepthEstimationHead {
  /** Elements of one band's input features (64 MB of float32). */
  private static final long BAND_ELEMENTS = 1L << 24;
  /** Rows of context above and below a band: one per 3x3 conv. */
  private static final int HALO = 2;

  private final Conv2d conv1;
  private final Conv2d conv2;
  private final float maxDepth;

  DepthEstimationHead(StateDict weights, String prefix, int channels, double maxDepth) {
    this.conv1 = new Conv2d(weights, prefix + ".0", channels, channels, 3, 1, 1);
    this.conv2 = new Conv2d(weights, prefix + ".2", channels, 1, 3, 1, 1);
    this.maxDepth = (float) maxDepth;
  }

  /**
   * features (B, C, h, w) -> depth (B, H, W) in the current workspace, where (H, W) is (2h, 2w) when
   * {@code upsample} is set (the decoder's final_upsample) and (h, w) otherwise.
   */
  INDArray forward(INDArray features, boolean upsample) {
    long rowElements = features.size(0) * features.size(1) * features.size(3) * (upsample ? 2 : 1);
    return forward(features, upsample, (int) Math.max(1, BAND_ELEMENTS / rowElements));
  }

  /** As {@link #forward(INDArray, boolean)}, {@code bandRows} output rows at a time. */
  INDArray forward(INDArray features, boolean upsample, int bandRows) {
    int batch = (int) features.size(0);
    int channels = (int) features.size(1);
    int height = (int) features.size(2);
    int width = (int) features.size(3);
    int outHeight = upsample ? 2 * height : height;
    int outWidth = upsample ? 2 * width : width;
    float[] source = JavaFloats.copyOut(features);
    INDArray depth = Nd4j.create(DataType.FLOAT, batch, outHeight, outWidth);
    for (int start = 0; start < outHeight; start += bandRows) {
      int end = Math.min(outHeight, start + bandRows);
      int lo = Math.max(0, start - HALO);
      int hi = Math.min(outHeight, end + HALO);
      try (MemoryWorkspace ignored = ForwardWorkspaces.block()) {
        float[] rows = upsample
            ? BilinearUpsample2x.rows(source, batch * channels, height, width, lo, hi)
            : rows(source, batch * channels, height, width, lo, hi);
        INDArray band = JavaFloats.copyIn(rows, batch, channels, hi - lo, outWidth);
        INDArray x = conv2.forward(Transforms.relu(conv1.forward(band), false)); // (B, 1, hi - lo, W)
        Transforms.sigmoid(x, false).muli(maxDepth);
        depth.get(all(), interval(start, end), all())
            .assign(x.get(all(), point(0), interval(start - lo, end - lo), all()));
      }
    }
    return depth;
  }

  /** Rows {@code [lo, hi)} of each of {@code count} (height, width) planes. */
  private static float[] rows(float[] planes, int count, int height, int width, int lo, int hi) {
    int bandSize = (hi - lo) * width;
    float[] out = new float[count * bandSize];
    for (int p = 0; p < count; p++) {
      System.arraycopy(planes, (p * height + lo) * width, out, p * bandSize, bandSize);
    }
    return out;
  }
}
