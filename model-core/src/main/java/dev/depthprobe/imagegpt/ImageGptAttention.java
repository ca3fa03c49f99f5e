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
  private final int headDim;

  ImageGptAttention(StateDict weights, String prefix, ImageGptConfig config, int layerIdx) {
    int embd = config.nEmbd();
    this.cAttn = new Conv1d(weights, prefix + ".c_attn", embd, 3 * embd);
    // the scores' scale, folded into the query columns: (query * s) @ key^T = (query @ key^T) * s. For the default
    // 1 / sqrt(64) the folded weights are exact.
    this.cAttn.scaleOutputs(0, embd, scale(config, layerIdx));
    this.cProj = new Conv1d(weights, prefix + ".c_proj", embd, embd);
    this.headDim = config.headDim();
  }

  /**
   * x (images * seq, n_embd), the ln_1 output of the state's chunk of images -> {@code residual}
   * (images * seq, n_embd) += c_proj(attention(x)).
   */
  void forward(INDArray x, ImageGptState state, INDArray residual) {
    cAttn.forward(x, state.qkv); // (images * seq, 3 * n_embd): query (scaled) | key | value, heads side by side
    int blockQueries = Math.min(state.seq, QUERY_BLOCK);
    Item[] items = state.attentionItems;
    Parallel.forEach(Parallel.threads(items.length), items.length, (thread, i) -> {
      Item item = items[i];
      // attn_output = softmax(torch.where(causal_mask, query @ key^T, finfo.min)) @ value, where _merge_heads puts it
      BlockAttention.forCurrentThread(state.seq, blockQueries, headDim)
          .attendCausal(item.query(), item.key(), item.value(), item.output(), item.firstQuery());
    });
    cProj.forwardAdd(state.attnOutput, residual);
  }

  /**
   * One item of the attention: one image's one head over one block of queries, starting at position
   * {@code firstQuery}, as views of a state's buffers: its queries, the keys and values up to its last query, and
   * where its output goes.
   */
  record Item(int firstQuery, INDArray query, INDArray key, INDArray value, INDArray output) {}

  /**
   * The items of a state's attention, (image, head, block of {@link #QUERY_BLOCK} queries), as views of its qkv
   * (images * seq, 3 * n_embd) and attention output (images * seq, n_embd). Made once per pass: a view allocates
   * native memory, and the same views serve every layer.
   */
  static Item[] items(ImageGptConfig config, int images, int seq, INDArray qkv, INDArray attnOutput) {
    int embd = config.nEmbd();
    int headDim = config.headDim();
    int heads = config.nHead();
    int blocks = (seq + QUERY_BLOCK - 1) / QUERY_BLOCK;
    Item[] items = new Item[images * heads * blocks];
    for (int item = 0; item < items.length; item++) {
      int start = item % blocks * QUERY_BLOCK;
      int end = Math.min(seq, start + QUERY_BLOCK);
      int head = item / blocks % heads;
      long image = (long) item / blocks / heads * seq;
      // _split_heads: image's rows of (images * seq, 3 * n_embd) -> this head's (rows, head_dim) of q, k and v
      items[item] = new Item(start,
          qkv.get(interval(image + start, image + end), columns(0, head, headDim)),
          qkv.get(interval(image, image + end), columns(embd, head, headDim)),
          qkv.get(interval(image, image + end), columns(2 * embd, head, headDim)),
          attnOutput.get(interval(image + start, image + end), columns(0, head, headDim)));
    }
    return items;
  }

  private static INDArrayIndex columns(int offset, int head, int headDim) {
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
