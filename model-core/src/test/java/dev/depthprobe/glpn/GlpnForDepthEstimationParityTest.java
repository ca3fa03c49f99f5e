package dev.depthprobe.glpn;

import static dev.depthprobe.glpn.GlpnFixtures.array;
import static dev.depthprobe.glpn.GlpnFixtures.assertClose;
import static dev.depthprobe.glpn.GlpnFixtures.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.compute.Nd4jThreads;
import dev.depthprobe.npy.NpyArray;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** GLPNForDepthEstimation against transformers 4.37.2 on the glpn-tiny fixtures. */
class GlpnForDepthEstimationParityTest {
  /** Relative to the reference's largest magnitude; PyTorch float32 vs float64 differs by <= 1.1e-6. */
  private static final double RELATIVE = 1e-4;

  @ParameterizedTest
  @FieldSource("dev.depthprobe.glpn.GlpnFixtures#CASES")
  void encoderHiddenStatesAndPredictedDepthMatchTransformers(String name) {
    String dir = "cases/" + name + "/";
    GlpnOutputs outputs = GlpnFixtures.model().forwardWithHiddenStates(array(dir + "pixel_values.npy"));
    for (int i = 0; i < 4; i++) {
      assertCloseRelative(array(dir + "encoder_hidden_state_" + i + ".npy"), outputs.encoderHiddenStates().get(i),
          RELATIVE, name + " encoder_hidden_state_" + i);
    }
    assertCloseRelative(array(dir + "predicted_depth.npy"), outputs.predictedDepth(), RELATIVE,
        name + " predicted_depth");
  }

  @ParameterizedTest
  @FieldSource("dev.depthprobe.glpn.GlpnFixtures#CASES")
  void depthAtOriginalSizeMatchesTransformersPostProcessing(String name) {
    String dir = "cases/" + name + "/";
    INDArray depth = GlpnFixtures.model().predictDepth(array(dir + "pixel_values.npy"));
    NpyArray expected = GlpnFixtures.npy(dir + "depth_original_size.npy");
    int outH = expected.dim(1);
    int outW = expected.dim(2);
    float[] resized = DepthPostProcessing.resizeBicubic(JavaFloats.copyOut(depth), (int) depth.size(1),
        (int) depth.size(2), outH, outW);
    double maxDepth = GlpnFixtures.model().config().maxDepth();
    assertClose(array(dir + "depth_original_size.npy"), Nd4j.create(resized, new long[] {1, outH, outW}, 'c'),
        1e-4 * maxDepth, name + " depth_original_size");
  }

  @Test
  void batchOfImagesMatchesTransformersBatch() {
    INDArray depth = GlpnFixtures.model().predictDepth(array("batch/pixel_values.npy")); // (2, h, w)
    assertCloseRelative(array("batch/predicted_depth.npy"), depth, RELATIVE, "batch predicted_depth");
  }

  @ParameterizedTest
  @ValueSource(strings = {"batch/pixel_values.npy", "cases/coco_cats_240x320/pixel_values.npy"})
  void twoThreadsGiveTheDepthOfOne(String file) throws InterruptedException {
    GlpnForDepthEstimation model = GlpnFixtures.model();
    // 2 images: one per thread; 1 image: each layer on both threads
    INDArray pixels = array(file);
    INDArray serial = model.predictDepth(pixels);
    INDArray[] parallel = new INDArray[1];
    Thread thread = new Thread(() -> {
      Nd4jThreads.setForCurrentThread(2);
      parallel[0] = model.predictDepth(pixels);
    });
    thread.start();
    thread.join();
    // the thread count changes how ND4J splits its sums, not what they compute: a shared buffer would be far off
    assertCloseRelative(serial, parallel[0], 1e-6, file + " on 2 threads vs 1");
  }

  @Test
  void pytorchModelBinGivesTheSameDepthAsSafetensors() {
    GlpnForDepthEstimation fromBin = GlpnForDepthEstimation.load(
        Checkpoint.open(GlpnFixtures.resourcePath(GlpnFixtures.ROOT + "model-bin")));
    INDArray pixels = array("cases/gradient_64x80/pixel_values.npy");
    assertClose(GlpnFixtures.model().predictDepth(pixels), fromBin.predictDepth(pixels), 0, "model-bin vs model");
  }

  @Test
  void decoderStagesMatchTransformers() {
    String dir = "cases/gradient_64x80/";
    List<INDArray> stages = GlpnFixtures.model().forwardWithHiddenStates(array(dir + "pixel_values.npy"))
        .decoderStages();
    assertEquals(4, stages.size());
    for (int s = 0; s < 4; s++) {
      assertCloseRelative(array(dir + "decoder_stage_" + s + ".npy"), stages.get(s), RELATIVE, "decoder_stage_" + s);
    }
  }
}
