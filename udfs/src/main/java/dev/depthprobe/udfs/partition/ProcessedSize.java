package dev.depthprobe.udfs.partition;

import dev.depthprobe.image.RgbImage;
import dev.depthprobe.model.ImageModel;

/** The size a model's processor gives an image: images of one size can share a batch. */
public record ProcessedSize(int height, int width) {

  /** Throws {@code IllegalArgumentException} where the processor rejects the image (e.g. too small). */
  static ProcessedSize of(ImageModel model, RgbImage image) {
    int[] hw = model.processedSize(image.height(), image.width());
    return new ProcessedSize(hw[0], hw[1]);
  }
}
