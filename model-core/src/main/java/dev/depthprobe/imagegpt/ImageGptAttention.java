package dev.depthprobe.imagegpt;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/** transformers ImageGPTAttention (self-attention only): c_attn packs q, k, v; causal softmax; c_proj. */
final class ImageGptAttention {
  private final Conv1d cAttn;
  private final Conv1d cProj;
  private final int numHeads;
  private final int headDim;
  private final int embedDim;
  private final int layerIdx;
  private final ImageGptConfig config;

  ImageGptAttention(StateDict weights, String prefix, ImageGptConfig config, int layerIdx) {
    this.cAttn = new Conv1d(weights, prefix + ".c_attn", config.nEmbd(), 3 * config.nEmbd());
    this.cProj = new Conv1d(weights, prefix + ".c_proj", config.nEmbd(), config.nEmbd());
    this.numHeads = config.nHead();
    this.headDim = config.headDim();
    this.embedDim = config.nEmbd();
    this.layerIdx = layerIdx;
    this.config = config;
  }

  /**
   * (batch * seq, n_embd) -> (batch * seq, n_embd). {@code causalBias} is (seq, seq): 0 where a position
   * may attend, the float32 minimum where it may not. One image at a time keeps the scores at
   * (heads, seq, seq).
   */
  INDArray forward(INDArray x, int batch, int seq, INDArray causalBias) {
    INDArray qkv = cAttn.forward(x); // (batch * seq, 3 * n_embd)
    // (batch * seq, 3 * n_embd) -> (batch, seq, 3, heads, head_dim) -> (3, batch, heads, seq, head_dim)
    INDArray split = qkv.reshape('c', batch, seq, 3, numHeads, headDim).permute(2, 0, 3, 1, 4).dup('c');
    INDArray merged = Nd4j.create(DataType.FLOAT, batch, seq, numHeads, headDim);
    for (int n = 0; n < batch; n++) {
      INDArray query = split.get(point(0), point(n), all(), all(), all()); // (heads, seq, head_dim)
      INDArray key = split.get(point(1), point(n), all(), all(), all());
      INDArray value = split.get(point(2), point(n), all(), all(), all());
      INDArray scores = Nd4j.matmul(query, key, false, true, false); // (heads, seq, seq)
      scale(scores);
      // torch.where(causal_mask, w, finfo.min) as an additive bias: masked scores become finfo.min
      Nd4j.exec(new BroadcastAddOp(scores, causalBias, scores, 1, 2));
      Nd4j.exec(new SoftMax(scores, scores, 2));
      INDArray context = Nd4j.matmul(scores, value); // (heads, seq, head_dim)
      // (heads, seq, head_dim) -> (seq, heads, head_dim)
      merged.get(point(n), all(), all(), all()).assign(context.permute(1, 0, 2));
    }
    return cProj.forward(merged.reshape('c', (long) batch * seq, embedDim)); // (batch * seq, n_embd)
  }

  private void scale(INDArray scores) {
    if (config.reorderAndUpcastAttn()) {
      // _upcast_and_reordered_attn: one factor applied as baddbmm's alpha
      double factor = 1.0;
      if (config.scaleAttnWeights()) {
        factor /= Math.sqrt(headDim);
      }
      if (config.scaleAttnByInverseLayerIdx()) {
        factor /= layerIdx + 1;
      }
      scores.muli((float) factor);
      return;
    }
    if (config.scaleAttnWeights()) {
      scores.divi((float) Math.sqrt(headDim));
    }
    if (config.scaleAttnByInverseLayerIdx()) {
      scores.divi((float) (layerIdx + 1));
    }
  }
}
