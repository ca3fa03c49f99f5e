package dev.depthprobe.imagegpt;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;

/**
 * The activation buffers of one forward pass (llama3.java's State) for a chunk of images: the linear layers take
 * the chunk's rows at once, the attention one image at a time. Every block writes its intermediates into these, so a
 * pass allocates them, and the attention's views of them, once, whatever its depth.
 */
final class ImageGptState {
  final int images;
  final INDArray normed; // (images * seq, n_embd): ln_1 or ln_2 output
  final INDArray rms; // (images * seq): the layer norm's sqrt(mean(x^2) + eps)
  final INDArray qkv; // (images * seq, 3 * n_embd): c_attn output, query | key | value, heads side by side in each
  final INDArray attnOutput; // (images * seq, n_embd): attn_output after _merge_heads, c_proj's input
  final INDArray inner; // (images * seq, n_inner): c_fc output, then quick_gelu in place
  final INDArray attnWeights; // (heads * query_block * seq): one causal block's attn_weights
  final List<List<CausalBlock>> attentionBlocks; // by image, then by block of queries
  final int threads; // the BLAS library's threads (set per task or run; 0 on CUDA), CausalSoftmax's too

  ImageGptState(ImageGptConfig config, int images, int seq) {
    long rows = (long) images * seq;
    this.images = images;
    this.normed = Nd4j.createUninitialized(DataType.FLOAT, rows, config.nEmbd());
    this.rms = Nd4j.createUninitialized(DataType.FLOAT, rows);
    this.qkv = Nd4j.createUninitialized(DataType.FLOAT, rows, 3L * config.nEmbd());
    this.attnOutput = Nd4j.createUninitialized(DataType.FLOAT, rows, config.nEmbd());
    this.inner = Nd4j.createUninitialized(DataType.FLOAT, rows, config.nInner());
    int queryBlock = Math.min(ImageGptAttention.QUERY_BLOCK, seq);
    this.attnWeights = Nd4j.createUninitialized(DataType.FLOAT, (long) config.nHead() * queryBlock * seq);
    List<List<CausalBlock>> blocks = new ArrayList<>();
    for (int n = 0; n < images; n++) {
      // image n's rows: (images * seq, width) -> (seq, width)
      INDArrayIndex imageRows = interval((long) n * seq, (long) (n + 1) * seq);
      blocks.add(CausalBlock.split(config, seq, queryBlock, qkv.get(imageRows, all()),
          attnOutput.get(imageRows, all()), attnWeights));
    }
    this.attentionBlocks = List.copyOf(blocks);
    this.threads = Math.max(1, Nd4j.factory().blas().getMaxThreads());
  }
}
