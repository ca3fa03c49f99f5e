package dev.depthprobe.imagegpt;

import dev.depthprobe.compute.BlockAttention;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The activation buffers of one forward pass (llama3.java's State) for a chunk of images: the linear layers take
 * the chunk's rows at once, the attention one (image, head, block of queries) per thread at a time, in each thread's
 * {@link BlockAttention}. Every block writes its intermediates into these, so a pass allocates them once, whatever
 * its depth.
 */
final class ImageGptState {
  final int images;
  final int seq;
  final INDArray normed; // (images * seq, n_embd): ln_1 or ln_2 output
  final INDArray qkv; // (images * seq, 3 * n_embd): c_attn output, query | key | value, heads side by side in each
  final INDArray attnOutput; // (images * seq, n_embd): attn_output after _merge_heads, c_proj's input
  final INDArray inner; // (images * seq, n_inner): c_fc output, then quick_gelu in place
  final ImageGptAttention.Item[] attentionItems; // views of qkv and attnOutput, one per (image, head, query block)

  ImageGptState(ImageGptConfig config, int images, int seq) {
    long rows = (long) images * seq;
    this.images = images;
    this.seq = seq;
    this.normed = Nd4j.createUninitialized(DataType.FLOAT, rows, config.nEmbd());
    this.qkv = Nd4j.createUninitialized(DataType.FLOAT, rows, 3L * config.nEmbd());
    this.attnOutput = Nd4j.createUninitialized(DataType.FLOAT, rows, config.nEmbd());
    this.inner = Nd4j.createUninitialized(DataType.FLOAT, rows, config.nInner());
    this.attentionItems = ImageGptAttention.items(config, images, seq, qkv, attnOutput);
  }
}
