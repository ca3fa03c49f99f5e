package dev.depthprobe.glpn;

import dev.depthprobe.nn.Linear;
import dev.depthprobe.nn.Tokens;
import static dev.depthprobe.glpn.GlpnFixtures.array;
import static dev.depthprobe.glpn.GlpnFixtures.assertClose;
import static dev.depthprobe.glpn.GlpnFixtures.assertCloseRelative;

import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.compute.Nd4jThreads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each GLPN block reproduces its output in transformers' module trace of gradient_64x80 from its traced input. */
class GlpnModulesTest {
  private static final String TRACE = "trace/gradient_64x80/";
  private static final double RELATIVE = 1e-5;
  private static StateDict weights;

  @BeforeAll
  static void loadWeights() {
    Nd4jThreads.setForCurrentThread(1);
    weights = GlpnFixtures.checkpoint().weights();
  }

  @Test
  void overlapPatchEmbeddingsMatchTheTrace() {
    OverlapPatchEmbeddings embeddings = new OverlapPatchEmbeddings(weights, "glpn.encoder.patch_embeddings.0", 7, 4,
        3, 16);
    Tokens tokens = embeddings.forward(Tokens.fromNchw(array("cases/gradient_64x80/pixel_values.npy")));
    assertCloseRelative(trace("glpn.encoder.patch_embeddings.0", 256, 16), tokens.values(), RELATIVE,
        "patch_embeddings.0");
  }

  @Test
  void efficientSelfAttentionWithSequenceReductionMatchesTheTrace() {
    String prefix = "glpn.encoder.block.1.0.attention.self";
    EfficientSelfAttention attention = new EfficientSelfAttention(weights, prefix, 24, 2, 4);
    Tokens hidden = new Tokens(trace("glpn.encoder.block.1.0.layer_norm_1", 64, 24), 1, 8, 8);
    assertCloseRelative(trace(prefix, 64, 24), attention.forward(hidden), RELATIVE, prefix);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 64})
  void attentionInBlocksOfQueriesEqualsTheWholeComputation(int queryBlock) {
    String prefix = "glpn.encoder.block.1.0.attention.self";
    INDArray context = EfficientSelfAttention.attend(trace(prefix + ".query", 64, 24), trace(prefix + ".key", 4, 24),
        trace(prefix + ".value", 4, 24), 1, 2, queryBlock);
    assertCloseRelative(trace(prefix, 64, 24), context, RELATIVE, prefix + " in blocks of " + queryBlock);
  }

  @Test
  void depthHeadAndLinearOnTwoThreadsGiveTheResultsOfOneThread() throws Exception {
    DepthEstimationHead head = new DepthEstimationHead(weights, "head.head", 16, 10);
    Tokens features = Tokens.fromNchw(array(TRACE + "decoder.stages.3.npy"));
    Linear dense1 = new Linear(weights, "glpn.encoder.block.0.0.mlp.dense1", 16, 64);
    INDArray tokens = trace("glpn.encoder.block.0.0.layer_norm_2", 256, 16);
    INDArray depth = head.forward(features, true, 5);
    INDArray expanded = dense1.forward(tokens);
    INDArray[] parallel = new INDArray[2];
    Thread thread = new Thread(() -> {
      Nd4jThreads.setForCurrentThread(2);
      parallel[0] = head.forward(features, true, 5);
      parallel[1] = dense1.forward(tokens);
    });
    thread.start();
    thread.join();
    assertClose(depth, parallel[0], 0, "head in bands of 5 rows on 2 threads vs 1");
    // one sgemm on one thread, ranges of rows on two: BLAS may block the sums differently
    assertCloseRelative(expanded, parallel[1], 1e-6, "dense1 on 2 threads vs 1");
  }

  @Test
  void attentionOnTwoThreadsEqualsOneThread() throws Exception {
    Nd4j.getRandom().setSeed(9);
    INDArray queries = Nd4j.randn(DataType.FLOAT, 2 * 37, 24); // 2 images of 37 queries, 3 heads of 8
    INDArray keys = Nd4j.randn(DataType.FLOAT, 2 * 11, 24);
    INDArray values = Nd4j.randn(DataType.FLOAT, 2 * 11, 24);
    INDArray serial = EfficientSelfAttention.attend(queries, keys, values, 2, 3, 5);
    INDArray[] parallel = new INDArray[1];
    Thread thread = new Thread(() -> {
      Nd4jThreads.setForCurrentThread(2);
      parallel[0] = EfficientSelfAttention.attend(queries, keys, values, 2, 3, 5);
    });
    thread.start();
    thread.join();
    assertClose(serial, parallel[0], 0, "attention on 2 threads vs 1");
  }

  @Test
  void mixFfnMatchesTheTrace() {
    MixFfn mlp = new MixFfn(weights, "glpn.encoder.block.0.0.mlp", 16, 64);
    Tokens hidden = new Tokens(trace("glpn.encoder.block.0.0.layer_norm_2", 256, 16), 1, 16, 16);
    INDArray out = Nd4j.zeros(DataType.FLOAT, 256, 16);

    mlp.forwardAdd(hidden, out);

    assertCloseRelative(trace("glpn.encoder.block.0.0.mlp", 256, 16), out, RELATIVE, "mlp");
  }

  @Test
  void selectiveFeatureFusionMatchesTheTrace() {
    SelectiveFeatureFusion fusion = new SelectiveFeatureFusion(weights, "decoder.stages.1.fusion", 16);
    Tokens fused = fusion.forward(Tokens.fromNchw(array(TRACE + "decoder.stages.1.convolution.npy")),
        Tokens.fromNchw(array(TRACE + "decoder.stages.0.npy")));
    assertCloseRelative(array(TRACE + "decoder.stages.1.fusion.npy"), fused.toNchw(), RELATIVE, "stages.1.fusion");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 64})
  void depthHeadOverBandsOfRowsMatchesTheTrace(int bandRows) {
    DepthEstimationHead head = new DepthEstimationHead(weights, "head.head", 16, 10);
    INDArray depth = head.forward(Tokens.fromNchw(array(TRACE + "decoder.stages.3.npy")), true, bandRows);
    assertClose(array(TRACE + "head.npy"), depth, 1e-5 * 10, "head in bands of " + bandRows + " rows");
  }

  /** A traced (1, L, C) token output as (L, C). */
  private static INDArray trace(String module, int length, int channels) {
    return array(TRACE + module + ".npy").reshape('c', length, channels);
  }
}
