package dev.depthprobe.imagegpt;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Causal attention of the queries at positions start..end-1, every head at once: they see no key after end - 1,
 * so their scores stop there, and the fully masked part of the (seq, seq) scores (about half of them at seq 1024)
 * is never computed. The arrays are views into one forward pass's buffers, made once per pass; the heads are
 * strides of c_attn's output and of attn_output, never copies.
 *
 * @param query (heads, end - start, head_dim): rows start..end-1 of c_attn's query third
 * @param keyTransposed (heads, head_dim, end): rows 0..end-1 of the key third
 * @param value (heads, end, head_dim): rows 0..end-1 of the value third
 * @param attnWeights (heads, end - start, end): the front of the pass's attention weights buffer, row-major
 * @param attnOutput (heads, end - start, head_dim): rows start..end-1 of the merged attn_output
 */
record CausalBlock(int start, int end, INDArray query, INDArray keyTransposed, INDArray value, INDArray attnWeights,
    INDArray attnOutput) {

  int queries() {
    return end - start;
  }

  /**
   * The blocks of {@code queryBlock} queries over one image's buffers: {@code qkv} (seq, 3 * n_embd),
   * {@code attnOutput} (seq, n_embd) and {@code attnWeights} (at least heads * queryBlock * seq).
   */
  static List<CausalBlock> split(ImageGptConfig config, int seq, int queryBlock, INDArray qkv, INDArray attnOutput,
      INDArray attnWeights) {
    int heads = config.nHead();
    int embd = config.nEmbd();
    int headDim = config.headDim();
    List<CausalBlock> blocks = new ArrayList<>();
    for (int start = 0; start < seq; start += queryBlock) {
      int end = Math.min(seq, start + queryBlock);
      int queries = end - start;
      // _split_heads: (rows, n_embd) -> (rows, heads, head_dim) -> (heads, rows, head_dim)
      INDArray query = qkv.get(interval(start, end), interval(0, embd))
          .reshape('c', queries, heads, headDim).permute(1, 0, 2);
      // key.transpose(-1, -2): (end, n_embd) -> (end, heads, head_dim) -> (heads, head_dim, end)
      INDArray keyTransposed = qkv.get(interval(0, end), interval(embd, 2 * embd))
          .reshape('c', end, heads, headDim).permute(1, 2, 0);
      INDArray value = qkv.get(interval(0, end), interval(2 * embd, 3 * embd))
          .reshape('c', end, heads, headDim).permute(1, 0, 2);
      // (heads * query_block * seq) -> (heads, queries, end)
      INDArray weights = attnWeights.get(interval(0, (long) heads * queries * end)).reshape('c', heads, queries, end);
      // _merge_heads, inverted: (queries, n_embd) -> (queries, heads, head_dim) -> (heads, queries, head_dim)
      INDArray output = attnOutput.get(interval(start, end), all())
          .reshape('c', queries, heads, headDim).permute(1, 0, 2);
      blocks.add(new CausalBlock(start, end, query, keyTransposed, value, weights, output));
    }
    return List.copyOf(blocks);
  }
}
