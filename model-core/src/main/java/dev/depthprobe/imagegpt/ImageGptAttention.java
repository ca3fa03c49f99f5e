package dev.depthprobe.imagegpt;

import dev.depthprobe.checkpoint.StateDict;
import java.util.List;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * transformers ImageGPTAttention (self-attention only): c_attn packs q, k, v; causal softmax; c_proj. The
 * attention itself runs in {@link CausalBlock}s of {@link #QUERY_BLOCK} queries, all heads in one batched matmul
 * for the scores, one softmax and one batched matmul for the output.
 */
final class ImageGptAttention {
  static final int QUERY_BLOCK = 256;
  private static final MMulTranspose NONE = MMulTranspose.allFalse();

  private final Conv1d cAttn;
  private final Conv1d cProj;
  private final int numHeads;

  ImageGptAttention(StateDict weights, String prefix, ImageGptConfig config, int layerIdx) {
    int embd = config.nEmbd();
    this.cAttn = new Conv1d(weights, prefix + ".c_attn", embd, 3 * embd);
    // the scores' scale, folded into the query columns: (query * s) @ key^T = (query @ key^T) * s. (libnd4j's
    // batched Mmul does not apply its alpha.) For the default 1 / sqrt(64) the folded weights are exact.
    this.cAttn.scaleOutputs(0, embd, scale(config, layerIdx));
    this.cProj = new Conv1d(weights, prefix + ".c_proj", embd, embd);
    this.numHeads = config.nHead();
  }

  /**
   * x (images * seq, n_embd), the ln_1 output of the state's chunk of images -> {@code residual}
   * (images * seq, n_embd) += c_proj(attention(x)).
   */
  void forward(INDArray x, ImageGptState state, INDArray residual) {
    cAttn.forward(x, state.qkv); // (images * seq, 3 * n_embd), the query scaled
    for (List<CausalBlock> image : state.attentionBlocks) {
      for (CausalBlock block : image) {
        // attn_weights = torch.matmul(query, key.transpose(-1, -2)) / sqrt(head_dim)
        Nd4j.exec(new Mmul(block.query(), block.keyTransposed(), block.attnWeights(), NONE));
        // attn_weights = softmax(torch.where(causal_mask, attn_weights, finfo.min), dim=-1)
        CausalSoftmax.softmaxInPlace(state.attnWeights, numHeads, block.queries(), block.end(), block.start(),
            state.threads);
        // attn_output = torch.matmul(attn_weights, value), written where _merge_heads puts it
        Nd4j.exec(new Mmul(block.attnWeights(), block.value(), block.attnOutput(), NONE));
      }
    }
    cProj.forwardAdd(state.attnOutput, residual);
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
