package dev.depthprobe.model;

/**
 * What every model of the registry tells about an image before it runs: the size its processor gives it.
 * Closing a model frees the native memory of its weights; it must not be used afterwards.
 */
public interface ImageModel extends AutoCloseable {
  /**
   * {height, width} the model sees for an image of {@code height x width}; images of one processed size
   * can share a batch. Throws {@code IllegalArgumentException} where the processor refuses the image.
   */
  int[] processedSize(int height, int width);

  /** Frees the weights' native memory (ND4J arrays); the model must not be used afterwards. */
  @Override
  void close();
}
