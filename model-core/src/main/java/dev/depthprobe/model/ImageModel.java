package dev.depthprobe.model;

import dev.depthprobe.admission.CostModel;

/**
 * What every model of the registry tells about an image before it runs: the size its processor gives it,
 * and what an image of a given header size will cost (admission). Closing a model frees the native memory
 * of its weights; it must not be used afterwards.
 */
public interface ImageModel extends AutoCloseable {
  /** The memory and time an image will take, from its header size, before it is decoded. */
  CostModel costModel();

  /**
   * {height, width} the model sees for an image of {@code height x width}; images of one processed size
   * can share a batch. Throws {@code IllegalArgumentException} where the processor refuses the image.
   */
  int[] processedSize(int height, int width);

  /** Frees the weights' native memory (ND4J arrays); the model must not be used afterwards. */
  @Override
  void close();
}
