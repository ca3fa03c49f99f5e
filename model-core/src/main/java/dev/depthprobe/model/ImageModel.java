package dev.depthprobe.model;

/** What every model of the registry tells about an image before it runs: the size its processor gives it. */
public interface ImageModel {
  /**
   * {height, width} the model sees for an image of {@code height x width}; images of one processed size
   * can share a batch. Throws {@code IllegalArgumentException} where the processor refuses the image.
   */
  int[] processedSize(int height, int width);
}
