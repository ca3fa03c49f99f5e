package dev.depthprobe.jobs.bench;

import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.glpn.DepthEstimator;
import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The depth job's work without Spark, in this thread: read and decode each image, then preprocess,
 * model and bicubic post-processing to the original size ({@link DepthEstimator}), {@code batchSize}
 * images at a time. Its time is what the Spark job's wall time is compared with.
 */
public final class DirectDepth {
  /** Seconds summed over the images: model loading, reading and decoding, and the estimator. */
  public record Times(double load, double decode, double estimate) {
    public double total() {
      return load + decode + estimate;
    }
  }

  private DirectDepth() {}

  public static Times run(Path checkpointDir, List<Path> images, int batchSize) throws IOException {
    long start = System.nanoTime();
    DepthEstimator estimator = DepthEstimator.load(Checkpoint.open(checkpointDir));
    long load = System.nanoTime() - start;
    ImageLoader loader = new ImageLoader();
    long decode = 0;
    long estimate = 0;
    for (int first = 0; first < images.size(); first += batchSize) {
      long t0 = System.nanoTime();
      List<RgbImage> batch = new ArrayList<>();
      for (Path file : images.subList(first, Math.min(images.size(), first + batchSize))) {
        batch.add(loader.load(Files.readAllBytes(file), file.toString()));
      }
      long t1 = System.nanoTime();
      estimator.estimate(batch, true);
      decode += t1 - t0;
      estimate += System.nanoTime() - t1;
    }
    return new Times(load / 1e9, decode / 1e9, estimate / 1e9);
  }
}
