package dev.depthprobe.jobs.bench;

import dev.depthprobe.admission.GlpnFlops;
import dev.depthprobe.glpn.GlpnForDepthEstimation;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** GLPN-b4 (glpn-kitti) on random pixels: KITTI's 352x1216 and NYU's 480x640, batch 1 and 4. */
public final class GlpnBench {
  /** The case names, as the peers' figures ({@link Peers}) spell them. */
  public static final String CASE_352X1216 = "GLPN-b4 352x1216";
  public static final String CASE_480X640 = "GLPN-b4 480x640";
  static final int[] BATCHES = {1, 4};
  private static final long SEED = 8;
  private static final String PACKAGE = "dev.depthprobe.glpn.";
  static final List<StackSampler.Part> PARTS = List.of(
      new StackSampler.Part("encoder/attention", PACKAGE + "EfficientSelfAttention"),
      new StackSampler.Part("encoder/mix-ffn", PACKAGE + "MixFfn"),
      new StackSampler.Part("encoder/rest", PACKAGE + "Encoder"),
      new StackSampler.Part("decoder", PACKAGE + "Decoder"),
      new StackSampler.Part("head", PACKAGE + "DepthEstimationHead"));

  private GlpnBench() {}

  /**
   * All four cases and {@link MemoryFlatness#PASSES} passes of 96x128 for the flatness check, or with
   * {@code quick} only 96x128 batch 1 and {@link MemoryFlatness#QUICK_PASSES}.
   */
  public static BenchSuite suite(boolean quick) {
    BenchModels.RandomModel<GlpnForDepthEstimation> model = BenchModels.randomGlpn(BenchModels.glpnKitti(), SEED);
    BenchCase small = depthCase("GLPN-b4 96x128", model.model(), 1, 96, 128);
    return BenchSuite.of("GLPN-b4 (glpn-kitti config, random weights)", model, PARTS,
        quick ? List.of(small) : cases(model.model()), small, quick);
  }

  /** KITTI's and NYU's sizes at each batch. */
  private static List<BenchCase> cases(GlpnForDepthEstimation model) {
    List<BenchCase> cases = new ArrayList<>();
    for (int batch : BATCHES) {
      cases.add(depthCase(CASE_352X1216, model, batch, 352, 1216));
      cases.add(depthCase(CASE_480X640, model, batch, 480, 640));
    }
    return cases;
  }

  static BenchCase depthCase(String name, GlpnForDepthEstimation model, int batch, int height, int width) {
    INDArray pixels = Nd4j.rand(DataType.FLOAT, batch, 3, height, width); // pixel_values in [0, 1)
    return new BenchCase(name, batch, GlpnFlops.perImage(model.config(), height, width),
        () -> model.predictDepth(pixels));
  }
}
