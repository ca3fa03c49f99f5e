package dev.depthprobe.admission;

import dev.depthprobe.image.ImageHeader;
/** A model family's resource estimate for images it has not decoded yet (see {@link GlpnCostModel}, {@link ImageGptCostModel}). */
public interface CostModel {
  /**
   * Peak memory, FLOPs and seconds of a batch of {@code batchSize} images of {@code header}'s size, the forward
   * pass on {@code threads} threads.
   */
  ResourceEstimate estimate(ImageHeader header, int batchSize, int threads);
}
