package dev.depthprobe.jobs;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.datasets.DepthPngWriter;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.jobs.bench.ProcessMemory;
import dev.depthprobe.model.DepthMap;
import dev.depthprobe.model.DepthModel;
import dev.depthprobe.model.ModelRegistry;
import dev.depthprobe.npy.Npy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code depthprobe predict-depth}: one image through a GLPN checkpoint, without Spark. */
@Command(name = "predict-depth", mixinStandardHelpOptions = true, sortOptions = false)
public final class PredictDepthCommand extends OneImageCommand {

  /** {@code --size}: the depth at the image's size (bicubic) or at the model's output size. */
  enum Size { ORIGINAL, MODEL }

  @Mixin
  OneImageFiles files;

  @Option(names = "--size", paramLabel = "S", defaultValue = "original")
  Size size;

  @Option(names = "--max-model-pixels", paramLabel = "N")
  Long maxModelPixels;

  @Option(names = "--dump-pixel-values", paramLabel = "FILE.npy")
  Path pixelValuesOut;

  @Option(names = "--png16", paramLabel = "FILE.png")
  Path png16;

  @Option(names = "--color", paramLabel = "FILE.png")
  Path color;

  @Override
  public Integer call() throws Exception {
    setUp();
    Checkpoint checkpoint = Checkpoint.open(files.model);
    DepthModel.Family family = ModelRegistry.depth(checkpoint.config());
    family.check(checkpoint.config(), checkpoint.preprocessorConfig());
    ModelPixelLimit.requireFits(maxModelPixels, family, checkpoint.preprocessorConfig());
    RgbImage rgb = imageOptions.load(files.image);
    DepthModel loaded = ModelRegistry.loadDepth(checkpoint);
    DepthModel estimator = maxModelPixels == null ? loaded : loaded.withMaxModelPixels(maxModelPixels);
    int[] modelSize = processedSize(estimator, rgb);
    DepthMap depth = estimator.estimate(List.of(rgb), size == Size.ORIGINAL).get(0);

    Npy.writeFloat(files.out, depth.metres(), depth.height(), depth.width());
    if (pixelValuesOut != null) {
      Npy.writeFloat(pixelValuesOut, estimator.pixelValues(rgb), 1, 3, modelSize[0], modelSize[1]);
    }
    if (png16 != null) {
      DepthPngWriter.writeKitti16(png16, depth.metres(), depth.height(), depth.width());
    }
    if (color != null) {
      DepthPngWriter.writeColormap(color, depth.metres(), depth.height(), depth.width());
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println("Wrote " + files.out + " (" + depth.height() + "x" + depth.width() + " float32 metres, "
        + checkpoint.displayName() + "; the model saw " + modelSize[0] + "x" + modelSize[1] + ")" + peakMemory());
    stdout.flush();
    return ExitCodes.OK;
  }

  /** The process's peak resident memory (Java heap, ND4J's native arrays and the rest), where Linux reports it. */
  private static String peakMemory() {
    return ProcessMemory.available()
        ? String.format(Locale.ROOT, "; peak resident memory %.0f MiB", ProcessMemory.read().peakMib()) : "";
  }

  /** {height, width} the model sees for the image; an image smaller than the model takes is a user error. */
  private static int[] processedSize(DepthModel estimator, RgbImage rgb) {
    try {
      return estimator.processedSize(rgb.height(), rgb.width());
    } catch (IllegalArgumentException e) {
      throw new UserException("--image: " + e.getMessage());
    }
  }
}
