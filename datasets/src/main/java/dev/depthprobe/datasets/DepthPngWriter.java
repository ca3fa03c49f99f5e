package dev.depthprobe.datasets;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes depth maps (metres, row-major) as PNG: the KITTI 16-bit form that evaluation tools read
 * back, or a magma rendering for people to look at.
 */
public final class DepthPngWriter {
  private static final int UINT16_MAX = 65535;

  private DepthPngWriter() {}

  /**
   * 16-bit grayscale PNG with value = round(metres × 256) (half to even, as NumPy rounds), clamped
   * to 0..65535; 0 for invalid (0, negative) or non-finite depths.
   */
  public static void writeKitti16(OutputStream out, float[] depth, int height, int width) throws IOException {
    requireSize(depth, height, width);
    short[] samples = new short[depth.length];
    for (int i = 0; i < depth.length; i++) {
      samples[i] = (short) kittiValue(depth[i]);
    }
    PngEncoder.writeGray16(out, samples, width, height);
  }

  public static void writeKitti16(Path file, float[] depth, int height, int width) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      writeKitti16(out, depth, height, width);
    }
  }

  /** 8-bit RGB PNG in the magma colormap; see {@link DepthColormap} for the scale. */
  public static void writeColormap(OutputStream out, float[] depth, int height, int width) throws IOException {
    requireSize(depth, height, width);
    PngEncoder.write(out, DepthColormap.toRgb(depth), width, height, 3);
  }

  public static void writeColormap(Path file, float[] depth, int height, int width) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      writeColormap(out, depth, height, width);
    }
  }

  /** The KITTI sample for one depth in metres, 0..65535. */
  static int kittiValue(float metres) {
    if (!(metres > 0) || !Float.isFinite(metres)) {
      return 0;
    }
    return (int) Math.min(UINT16_MAX, Math.rint(metres * (double) DepthGroundTruthLoader.KITTI_SCALE));
  }

  private static void requireSize(float[] depth, int height, int width) {
    if (height <= 0 || width <= 0 || depth.length != (long) height * width) {
      throw new IllegalArgumentException(depth.length + " depth values do not fill " + height + "x" + width);
    }
  }
}
