package dev.depthprobe.imagegpt;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** transformers ImageGPTLayerNorm: {@code x / sqrt(mean(x^2) + eps) * weight}, no bias. */
final class ImageGptLayerNorm {
  private final INDArray weight; // (n_embd)
  private final int size;
  private final float eps;

  ImageGptLayerNorm(StateDict weights, String prefix, int size, double eps) {
    this.weight = weights.take(prefix + ".weight", size).toNd4j();
    this.size = size;
    this.eps = (float) eps;
  }

  /** (rows, n_embd) -> a new (rows, n_embd); {@code x} is left unchanged. */
  INDArray forward(INDArray x) {
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.rows(), size);
    forward(x, out, Nd4j.createUninitialized(DataType.FLOAT, x.rows()));
    return out;
  }

  /** x (rows, n_embd) -> out (rows, n_embd), overwritten; {@code rms} (rows) is scratch. */
  void forward(INDArray x, INDArray out, INDArray rms) {
    // input is not mean centered
    Nd4j.exec(new SquaredNorm(x, rms, 1)); // sum(x^2) per row
    rms.muli(1.0f / size).addi(eps); // mean(x^2) + eps
    Transforms.sqrt(rms, false);
    Nd4j.exec(new BroadcastDivOp(x, rms, out, 0));
    Nd4j.exec(new BroadcastMulOp(out, weight, out, 1));
  }
}
