package dev.depthprobe.jobs;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.imagegpt.FeatureExtractor;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.imagegpt.ImageGptConfig;
import dev.depthprobe.jobs.probe.FeatureSpecOptions;
import dev.depthprobe.npy.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code depthprobe predict-features}: the features of one image, without Spark, as a {@code .npy}. */
@Command(name = "predict-features", mixinStandardHelpOptions = true, sortOptions = false)
public final class PredictFeaturesCommand extends OneImageCommand {
  @Mixin
  FeatureSpecOptions features;

  @Mixin
  OneImageFiles files;

  @Option(names = "--dump-input-ids", paramLabel = "FILE.npy")
  Path dumpInputIds;

  @Option(names = "--dump-hidden-states", paramLabel = "DIR")
  Path dumpHiddenStates;

  @Override
  public Integer call() throws IOException {
    setUp();
    Checkpoint checkpoint = Checkpoint.open(files.model);
    FeatureSpec featureSpec = features.spec(checkpoint.config(), checkpoint.preprocessorConfig(),
        checkpoint.dir().toString());
    FeatureExtractor extractor = FeatureExtractor.load(checkpoint);
    ImageGptConfig config = extractor.model().config();
    RgbImage rgb = imageOptions.load(files.image);

    float[][] vectors = extractor.extract(List.of(rgb), featureSpec)[0]; // [layer][n_embd]
    float[] flat = new float[vectors.length * config.nEmbd()];
    for (int i = 0; i < vectors.length; i++) {
      System.arraycopy(vectors[i], 0, flat, i * config.nEmbd(), config.nEmbd());
    }
    Npy.writeFloat(files.out, flat, vectors.length, config.nEmbd());
    spec.commandLine().getOut().println("Wrote " + files.out + ": float32 [" + vectors.length + ", " + config.nEmbd()
        + "], layers " + Arrays.toString(featureSpec.layers()) + ", recipe " + featureSpec.recipe());

    if (dumpInputIds != null || dumpHiddenStates != null) {
      long[] ids = modelInputIds(extractor.inputIds(rgb), featureSpec, config);
      if (dumpInputIds != null) {
        Npy.writeLong(dumpInputIds, ids, 1, ids.length);
      }
      if (dumpHiddenStates != null) {
        writeHiddenStates(extractor, ids, featureSpec.deepestLayer());
      }
    }
    return ExitCodes.OK;
  }

  /** The ids the model runs on: with the SOS id, iGPT's shifted input (SOS, pixels[:-1]), as ImageGptModel. */
  private static long[] modelInputIds(long[] pixels, FeatureSpec spec, ImageGptConfig config) {
    if (!spec.prependSos()) {
      return pixels;
    }
    long[] ids = new long[pixels.length];
    ids[0] = config.sosId();
    System.arraycopy(pixels, 0, ids, 1, pixels.length - 1);
    return ids;
  }

  private void writeHiddenStates(FeatureExtractor extractor, long[] ids, int upToLayer) throws IOException {
    Files.createDirectories(dumpHiddenStates);
    INDArray inputIds = Nd4j.createFromArray(new long[][] {ids}); // (1, seq)
    List<INDArray> states = extractor.model().hiddenStates(inputIds, upToLayer);
    for (int i = 0; i < states.size(); i++) {
      INDArray state = states.get(i); // (1, seq, n_embd)
      Npy.writeFloat(dumpHiddenStates.resolve("hidden_states_" + i + ".npy"), state.data().asFloat(), state.shape());
    }
  }
}
