package dev.depthprobe.udfs;

import dev.depthprobe.glpn.DepthEstimator;
import dev.depthprobe.image.RgbImage;

/** The size GLPN's processor gives an image: images of one size can share a batch. */
record ProcessedSize(int height, int width) {

  /** Throws {@code IllegalArgumentException} where the processor rejects the image (e.g. too small). */
  static ProcessedSize of(DepthEstimator estimator, RgbImage image) {
    int[] hw = estimator.processedSize(image.height(), image.width());
    return new ProcessedSize(hw[0], hw[1]);
  }
}
