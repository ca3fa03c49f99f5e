package dev.depthprobe.imagegpt;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** transformers ImageGPTModel's wte + wpe: token embedding plus learned position embedding. */
final class ImageGptEmbeddings {
  private final INDArray wte; // (vocab_size, n_embd)
  private final INDArray wpe; // (n_positions, n_embd)

  ImageGptEmbeddings(StateDict weights, ImageGptConfig config) {
    this.wte = weights.array("wte.weight", config.vocabSize(), config.nEmbd());
    this.wpe = weights.array("wpe.weight", config.nPositions(), config.nEmbd());
  }

  /** ids (batch, seq), already range-checked -> (batch * seq, n_embd), row n * seq + s for image n, position s. */
  INDArray forward(int[][] ids) {
    int batch = ids.length;
    int seq = ids[0].length;
    int[] tokens = new int[batch * seq];
    int[] positions = new int[batch * seq];
    for (int n = 0; n < batch; n++) {
      System.arraycopy(ids[n], 0, tokens, n * seq, seq);
      for (int s = 0; s < seq; s++) {
        positions[n * seq + s] = s;
      }
    }
    return Nd4j.pullRows(wte, 1, tokens).addi(Nd4j.pullRows(wpe, 1, positions));
  }
}
