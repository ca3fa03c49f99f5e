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
@Command(name = "predict-depth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Estimates the depth of one image with a GLPN checkpoint (no Spark) and writes it as a NumPy .npy "
            + "(float32, H x W, metres), as transformers' GLPN processor, model and bicubic post-processing do.",
        "Exit codes: 0 done, 1 failure, 2 bad arguments, unknown model folder, wrong model type, unreadable image."})
public final class PredictDepthCommand extends OneImageCommand {

  /** {@code --size}: the depth at the image's size (bicubic) or at the model's output size. */
  enum Size { ORIGINAL, MODEL }

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "GLPN checkpoint folder or Hugging Face cache folder models--ORG--NAME.")
  Path model;

  @Mixin
  ImageFileOption image;

  @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Where to write the depth.")
  Path out;

  @Option(names = "--size", paramLabel = "S", defaultValue = "original",
      description = "original (the image's size) or model (the model's output size); default: ${DEFAULT-VALUE}.")
  Size size;

  @Option(names = "--max-model-pixels", paramLabel = "N",
      description = "Shrink an image whose processed size has more than N pixels, before the model, to the largest "
          + "size within N with its aspect ratio (sides multiples of size_divisor; the same Pillow bilinear resize); "
          + "the depth is still resized to the image's size. Off by default (results as transformers').")
  Long maxModelPixels;

  @Option(names = "--dump-pixel-values", paramLabel = "FILE.npy",
      description = "Also write the preprocessed pixel_values (float32, 1 x 3 x h x w).")
  Path pixelValuesOut;

  @Option(names = "--png16", paramLabel = "FILE.png",
      description = "Also write a KITTI 16-bit PNG: uint16 = round(metres * 256), 0 invalid.")
  Path png16;

  @Option(names = "--color", paramLabel = "FILE.png",
      description = "Also write a colormap PNG (near = bright, scaled to the 5th-95th percentile).")
  Path color;

  @Override
  public Integer call() throws Exception {
    setUp();
    Checkpoint checkpoint = Checkpoint.open(model);
    DepthModel.Family family = ModelRegistry.depth(checkpoint.config());
    family.check(checkpoint.config(), checkpoint.preprocessorConfig());
    ModelPixelLimit.requireFits(maxModelPixels, family, checkpoint.preprocessorConfig());
    RgbImage rgb = imageOptions.load(image.file);
    DepthModel loaded = ModelRegistry.loadDepth(checkpoint);
    DepthModel estimator = maxModelPixels == null ? loaded : loaded.withMaxModelPixels(maxModelPixels);
    int[] modelSize = processedSize(estimator, rgb);
    DepthMap depth = estimator.estimate(List.of(rgb), size == Size.ORIGINAL).get(0);

    Npy.writeFloat(out, depth.metres(), depth.height(), depth.width());
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
    stdout.println("Wrote " + out + " (" + depth.height() + "x" + depth.width() + " float32 metres, "
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
