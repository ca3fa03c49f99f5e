package dev.depthprobe.glpn;

/** A depth map in metres: {@code height * width} values, row-major. */
public record DepthMap(int height, int width, float[] values) {
  public DepthMap {
    if (height < 0 || width < 0 || values.length != (long) height * width) {
      throw new IllegalArgumentException(values.length + " depth values do not make a " + height + "x" + width
          + " map");
    }
  }

  /** The depth at row {@code y}, column {@code x}. */
  public float get(int y, int x) {
    return values[y * width + x];
  }
}
