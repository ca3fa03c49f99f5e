package dev.depthprobe.imagegpt;

import dev.depthprobe.nn.Conv1d;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.BlockAttention;
import dev.depthprobe.compute.Parallel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;

/**
 * transformers ImageGPTAttention (self-attention only): c_attn packs q, k, v; causal softmax; c_proj. The attention
 * itself runs as items of (image, head, block of {@link #QUERY_BLOCK} queries) shared out among the threads, each a
 * single-threaded {@link BlockAttention} whose queries see no key after their own position: the fully masked part of
 * the (seq, seq) scores (about half of them at seq 1024) is never computed.
 */
final class ImageGptAttention {
  static final int QUERY_BLOCK = 256;

  private final Conv1d cAttn;
  private final Conv1d cProj;
  private final int numHeads;
  private final int embd;
  private final int headDim;

  ImageGptAttention(StateDict weights, String prefix, ImageGptConfig config, int layerIdx) {
    this.embd = config.nEmbd();
    this.cAttn = new Conv1d(weights, prefix + ".c_attn", embd, 3 * embd);
    // the scores' scale, folded into the query columns: (query * s) @ key^T = (query @ key^T) * s. For the default
    // 1 / sqrt(64) the folded weights are exact.
    this.cAttn.scaleOutputs(0, embd, scale(config, layerIdx));
    this.cProj = new Conv1d(weights, prefix + ".c_proj", embd, embd);
    this.numHeads = config.nHead();
    this.headDim = config.headDim();
  }

  /**
   * x (images * seq, n_embd), the ln_1 output of the state's chunk of images -> {@code residual}
   * (images * seq, n_embd) += c_proj(attention(x)).
   */
  void forward(INDArray x, ImageGptState state, INDArray residual) {
    cAttn.forward(x, state.qkv); // (images * seq, 3 * n_embd): query (scaled) | key | value, heads side by side
    int seq = state.seq;
    int blocks = (seq + QUERY_BLOCK - 1) / QUERY_BLOCK;
    int items = state.images * numHeads * blocks;
    int blockQueries = Math.min(seq, QUERY_BLOCK);
    Parallel.forEach(Parallel.threads(items), items, (thread, item) -> {
      int start = item % blocks * QUERY_BLOCK;
      int end = Math.min(seq, start + QUERY_BLOCK);
      int head = item / blocks % numHeads;
      long image = (long) item / blocks / numHeads * seq;
      // _split_heads: image's rows of (images * seq, 3 * n_embd) -> this head's (rows, head_dim) of q, k and v
      INDArray query = state.qkv.get(interval(image + start, image + end), columns(0, head));
      INDArray key = state.qkv.get(interval(image, image + end), columns(embd, head));
      INDArray value = state.qkv.get(interval(image, image + end), columns(2 * embd, head));
      // attn_output = softmax(torch.where(causal_mask, query @ key^T, finfo.min)) @ value, where _merge_heads puts it
      INDArray output = state.attnOutput.get(interval(image + start, image + end), columns(0, head));
      BlockAttention.forCurrentThread(seq, blockQueries, headDim).attendCausal(query, key, value, output, start);
    });
    cProj.forwardAdd(state.attnOutput, residual);
  }

  private INDArrayIndex columns(int offset, int head) {
    return interval(offset + (long) head * headDim, offset + (long) (head + 1) * headDim);
  }

  /**
   * _attn divides the scores by sqrt(head_dim) (scale_attn_weights) and by layer_idx + 1
   * (scale_attn_by_inverse_layer_idx); _upcast_and_reordered_attn applies the same factor as baddbmm's alpha.
   */
  private static double scale(ImageGptConfig config, int layerIdx) {
    double factor = 1.0;
    if (config.scaleAttnWeights()) {
      factor /= Math.sqrt(config.headDim());
    }
    if (config.scaleAttnByInverseLayerIdx()) {
      factor /= layerIdx + 1;
    }
    return factor;
  }
}
