package dev.depthprobe.tests;

import dev.depthprobe.jobs.bench.ProcessMemory;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.glpn.DepthEstimator;
import dev.depthprobe.image.ImageHeader;
import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code predict-depth}'s load and preprocessing of one image, for a JVM of its own: decode, then the GLPN
 * pixel_values in native memory. Prints their shape and range and the process's peak resident memory. Arguments:
 * model folder, image file.
 */
public final class PreprocessOneImage {
  private PreprocessOneImage() {}

  public static void main(String[] args) throws Exception {
    DepthEstimator estimator = DepthEstimator.load(Checkpoint.open(Path.of(args[0])));
    byte[] file = Files.readAllBytes(Path.of(args[1]));
    ImageHeader header = ImageLoader.probe(file, args[1]);
    int[] hw = estimator.processedSize(header.uprightHeight(), header.uprightWidth());

    RgbImage image = new ImageLoader().load(file, args[1]);
    INDArray pixelValues = estimator.pixelValues(List.of(image), List.of(0), hw[0], hw[1]);

    System.out.printf(Locale.ROOT, "pixel_values %s in [%.4f, %.4f]; peak resident memory %.0f MiB%n",
        Arrays.toString(pixelValues.shape()), pixelValues.minNumber().doubleValue(),
        pixelValues.maxNumber().doubleValue(), ProcessMemory.read().peakMib());
  }
}
