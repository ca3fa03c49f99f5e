package dev.depthprobe.glpn;

import dev.depthprobe.nn.BilinearUpsample2x;
import dev.depthprobe.nn.Conv2d;
import dev.depthprobe.nn.ForwardWorkspaces;
import dev.depthprobe.nn.SingleChannelConv3x3;
import dev.depthprobe.nn.Tokens;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.FloatExp;
import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.compute.Parallel;
import dev.depthprobe.compute.ThreadScratch;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * transformers GLPNDepthEstimationHead: conv3x3, ReLU, conv3x3 to one channel, {@code sigmoid * max_depth}.
 * It runs over bands of each image's output rows (with the two rows of context each side that two 3x3
 * convs need), together with the decoder's final x2 upsampling, so the full-resolution features never
 * exist at once. Bands run in parallel, each on one thread in that thread's workspace.
 */
final class DepthEstimationHead {
  /** Elements of one band's input features (16 MB of float32). */
  static final long BAND_ELEMENTS = 1L << 22;
  /** Rows of context above and below a band: one per 3x3 conv. */
  private static final int HALO = 2;
  /** sigmoidTimesMaxDepth's -x and exp's exponents, per thread. */
  private static final ThreadScratch NEGATED = new ThreadScratch();
  private static final ThreadScratch EXPONENTS = new ThreadScratch();

  private final Conv2d conv1;
  private final SingleChannelConv3x3 conv2;
  private final float maxDepth;

  DepthEstimationHead(StateDict weights, String prefix, int channels, double maxDepth) {
    this.conv1 = new Conv2d(weights, prefix + ".0", channels, channels, 3, 1, 1);
    this.conv2 = new SingleChannelConv3x3(weights, prefix + ".2", channels);
    this.maxDepth = (float) maxDepth;
  }

  /**
   * features as tokens (B*h*w, C) -> depth (B, H, W) in the current workspace, where (H, W) is (2h, 2w)
   * when {@code upsample} is set (the decoder's final_upsample) and (h, w) otherwise.
   */
  INDArray forward(Tokens features, boolean upsample) {
    int scale = upsample ? 2 : 1;
    long imageElements = (long) scale * features.height() * scale * features.width() * features.channels();
    int bands = (int) ((imageElements + BAND_ELEMENTS - 1) / BAND_ELEMENTS);
    int threads = Parallel.threads(features.batch() * bands);
    bands = (bands + threads - 1) / threads * threads; // whole rounds of bands for the threads
    int outHeight = scale * features.height();
    return forward(features, upsample, (outHeight + bands - 1) / bands);
  }

  /** As {@link #forward(Tokens, boolean)}, {@code bandRows} output rows at a time. */
  INDArray forward(Tokens features, boolean upsample, int bandRows) {
    int batch = features.batch();
    int outHeight = upsample ? 2 * features.height() : features.height();
    int outWidth = upsample ? 2 * features.width() : features.width();
    INDArray depth = Nd4j.createUninitialized(DataType.FLOAT, batch, outHeight, outWidth);
    FloatBuffer depthValues = JavaFloats.view(depth);
    int bands = (outHeight + bandRows - 1) / bandRows;
    Parallel.forEach(Parallel.threads(batch * bands), batch * bands, (thread, item) -> {
      int image = item / bands;
      int start = item % bands * bandRows;
      int end = Math.min(outHeight, start + bandRows);
      int lo = Math.max(0, start - HALO);
      int hi = Math.min(outHeight, end + HALO);
      try (MemoryWorkspace ignored = ForwardWorkspaces.block()) {
        Tokens imageFeatures = image(features, image);
        Tokens band = upsample ? BilinearUpsample2x.rows(imageFeatures, lo, hi) : rows(imageFeatures, lo, hi);
        Tokens hidden = conv1.forward(band);
        Transforms.relu(hidden.values(), false);
        float[] x = conv2.forwardRows(hidden, lo, outHeight, start, end); // (end - start, W)
        sigmoidTimesMaxDepth(x);
        depthValues.put((image * outHeight + start) * outWidth, x);
      }
    });
    return depth;
  }

  /** {@code sigmoid(x) * max_depth} in place, sigmoid as {@code 1 / (1 + exp(-x))}. */
  private void sigmoidTimesMaxDepth(float[] x) {
    float[] e = NEGATED.floats(x.length);
    for (int i = 0; i < x.length; i++) {
      e[i] = -x[i];
    }
    FloatExp.expInPlace(e, x.length, EXPONENTS.floats(x.length));
    for (int i = 0; i < x.length; i++) {
      x[i] = 1f / (1f + e[i]) * maxDepth;
    }
  }

  /** Image {@code b} of the batch, (H*W, C): a view. */
  private static Tokens image(Tokens x, int b) {
    long size = (long) x.height() * x.width();
    return new Tokens(x.values().get(interval(b * size, (b + 1) * size), all()), 1, x.height(), x.width());
  }

  /** Rows {@code [lo, hi)} of the feature map, (B*(hi - lo)*W, C). */
  private static Tokens rows(Tokens x, int lo, int hi) {
    return Tokens.fromNhwc(x.nhwc().get(all(), interval(lo, hi), all(), all()).dup('c'));
  }
}
