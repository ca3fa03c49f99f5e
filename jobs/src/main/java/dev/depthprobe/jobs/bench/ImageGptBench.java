package dev.depthprobe.jobs.bench;

import dev.depthprobe.admission.ImageGptCostModel;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.imagegpt.ImageGptConfig;
import dev.depthprobe.imagegpt.ImageGptModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ImageGPT-small on random 32x32 images' ids (1024 positions): the full forward pass (24 layers, pooled
 * from ln_f) and the linear probe at layer 12, which stops after block 12; batch 1, 8 and 32.
 */
public final class ImageGptBench {
  /** The case names, as the peers' figures ({@link Peers}) spell them. */
  public static final String CASE_FULL = "ImageGPT-small 24 layers";
  /** The linear probe at layer 12, an early exit (PyTorch's figures ran the first 12 layers). */
  public static final String CASE_PROBE_12 = "ImageGPT-small layer-12 probe";
  static final int[] BATCHES = {1, 8, 32};
  private static final long SEED = 12;
  private static final int PROBE_LAYER = 12;
  private static final String PACKAGE = "dev.depthprobe.imagegpt.";
  static final List<StackSampler.Part> PARTS = List.of(
      new StackSampler.Part("blocks/attention", PACKAGE + "ImageGptAttention"),
      new StackSampler.Part("blocks/mlp", PACKAGE + "ImageGptMlp"),
      new StackSampler.Part("blocks/layer norms", PACKAGE + "ImageGptLayerNorm"),
      new StackSampler.Part("blocks/rest", PACKAGE + "ImageGptBlock"),
      new StackSampler.Part("embeddings", PACKAGE + "ImageGptEmbeddings"));

  private ImageGptBench() {}

  /**
   * All six cases and {@link MemoryFlatness#PASSES} passes of the probe over 128 ids for the flatness
   * check, or with {@code quick} only the probe at batch 1 and {@link MemoryFlatness#QUICK_PASSES}.
   */
  public static BenchSuite suite(boolean quick) {
    ImageGptConfig config = BenchModels.imageGptSmall();
    BenchModels.RandomModel<ImageGptModel> model = BenchModels.randomImageGpt(config, SEED);
    int seq = config.nPositions();
    List<BenchCase> cases = new ArrayList<>();
    for (int batch : quick ? new int[] {1} : BATCHES) {
      if (!quick) {
        cases.add(probeCase(CASE_FULL, model.model(), batch, seq, config.nLayer()));
      }
      cases.add(probeCase(CASE_PROBE_12, model.model(), batch, seq, PROBE_LAYER));
    }
    BenchCase small = probeCase("ImageGPT-small layer-12 probe, 128 ids", model.model(), 1, 128, PROBE_LAYER);
    return BenchSuite.of("ImageGPT-small (random weights)", model, PARTS, cases, small, quick);
  }

  /** Mean-pooled hidden state {@code layer} of {@code batch} random sequences of {@code seq} ids. */
  static BenchCase probeCase(String name, ImageGptModel model, int batch, int seq, int layer) {
    ImageGptConfig config = model.config();
    SplittableRandom random = new SplittableRandom(SEED + batch);
    long[][] ids = new long[batch][seq];
    for (long[] row : ids) {
      for (int s = 0; s < seq; s++) {
        row[s] = random.nextInt(config.sosId()); // colour cluster ids, as the image processor gives
      }
    }
    INDArray inputIds = Nd4j.createFromArray(ids); // (batch, seq)
    FeatureSpec spec = FeatureSpec.hidden(layer);
    return new BenchCase(name, batch, ImageGptCostModel.flops(config, seq, layer),
        () -> model.features(inputIds, spec));
  }
}
