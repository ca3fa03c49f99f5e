package dev.depthprobe.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.StateDict;
import dev.depthprobe.image.RgbImage;
import java.util.List;

/** The depth task: RGB images to depth maps in metres. Implementations are thread-safe. */
public interface DepthModel extends ImageModel {
  /**
   * One depth map per image, in order: at the processed size, or resized to the image's own size (the
   * bicubic post-processing transformers documents) when {@code originalSize} is set.
   */
  List<DepthMap> estimate(List<RgbImage> images, boolean originalSize);

  /** The processor's {@code pixel_values} of one image: (3, h, w) at its processed size, row-major. */
  float[] pixelValues(RgbImage image);

  /**
   * This model with images whose processed size exceeds {@code maxModelPixels} pixels first shrunk, aspect
   * ratio kept, to the largest processed size within it (the depth still comes back at the image's size);
   * a limit no processed size fits is an {@code IllegalArgumentException}.
   */
  DepthModel withMaxModelPixels(long maxModelPixels);

  /** The largest depth the model can predict, in metres. */
  double maxDepth();

  /** How one {@code model_type} becomes a depth model: a line of the {@link ModelRegistry}. */
  interface Family {
    /**
     * Checks {@code config.json} and {@code preprocessor_config.json} as the model will read them,
     * before any weights are read, and returns the model's max depth (metres). A bad
     * {@code config.json} is a {@code CheckpointException}, a bad processor config an
     * {@code IllegalArgumentException}.
     */
    double check(JsonNode config, JsonNode preprocessorConfig);

    /**
     * Checks that some processed size fits within {@code maxModelPixels} (see {@link DepthModel#withMaxModelPixels});
     * a limit no size fits is an {@code IllegalArgumentException} naming the smallest.
     */
    void checkMaxModelPixels(JsonNode preprocessorConfig, long maxModelPixels);

    DepthModel build(JsonNode config, JsonNode preprocessorConfig, StateDict weights);
  }
}
