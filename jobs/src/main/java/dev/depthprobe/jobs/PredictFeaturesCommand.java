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
@Command(name = "predict-features", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Writes the linear-probe features of one image (float32, shape [layers, n_embd]): the chosen hidden "
            + "state averaged over the sequence, exactly as the features job computes them.",
        "No Spark: useful to check a model, or one row of a features table."})
public final class PredictFeaturesCommand extends OneImageCommand {
  @Mixin
  FeatureSpecOptions features;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "ImageGPT checkpoint folder, or a Hugging Face cache folder models--ORG--NAME.")
  Path model;

  @Mixin
  ImageFileOption image;

  @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Where to write the features.")
  Path out;

  @Option(names = "--dump-input-ids", paramLabel = "FILE.npy",
      description = "Also write the ids the model ran on (int64, shape [1, seq]; with the SOS id if prepended).")
  Path dumpInputIds;

  @Option(names = "--dump-hidden-states", paramLabel = "DIR",
      description = "Also write hidden_states[i] for i = 0..deepest layer as DIR/hidden_states_<i>.npy "
          + "(float32, shape [1, seq, n_embd]).")
  Path dumpHiddenStates;

  @Override
  public Integer call() throws IOException {
    setUp();
    Checkpoint checkpoint = Checkpoint.open(model);
    FeatureSpec featureSpec = features.spec(checkpoint.config(), checkpoint.preprocessorConfig(),
        checkpoint.dir().toString());
    FeatureExtractor extractor = FeatureExtractor.load(checkpoint);
    ImageGptConfig config = extractor.model().config();
    RgbImage rgb = imageOptions.load(image.file);

    float[][] vectors = extractor.extract(List.of(rgb), featureSpec)[0]; // [layer][n_embd]
    float[] flat = new float[vectors.length * config.nEmbd()];
    for (int i = 0; i < vectors.length; i++) {
      System.arraycopy(vectors[i], 0, flat, i * config.nEmbd(), config.nEmbd());
    }
    Npy.writeFloat(out, flat, vectors.length, config.nEmbd());
    spec.commandLine().getOut().println("Wrote " + out + ": float32 [" + vectors.length + ", " + config.nEmbd()
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
