package dev.depthprobe.model;

/**
 * A depth map in metres, row-major: a model's prediction, or a ground truth where 0 marks an invalid
 * pixel.
 *
 * @param metres {@code height * width} values
 */
public record DepthMap(int height, int width, float[] metres) {
  public DepthMap {
    if (height < 0 || width < 0 || metres.length != (long) height * width) {
      throw new IllegalArgumentException(metres.length + " depth values do not fill " + height + "x" + width);
    }
  }

  /** Depth at row {@code y}, column {@code x}. */
  public float at(int y, int x) {
    return metres[y * width + x];
  }
}
