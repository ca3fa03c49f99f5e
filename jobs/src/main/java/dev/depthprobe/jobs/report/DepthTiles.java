package dev.depthprobe.jobs.report;

import dev.depthprobe.datasets.DepthColormap;
import dev.depthprobe.datasets.Magma;
import dev.depthprobe.datasets.PngEncoder;
import dev.depthprobe.image.PillowResize;
import dev.depthprobe.image.ResampleFilter;
import dev.depthprobe.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small pictures of one image's card, all at the same thumbnail size: the input, the predicted depth
 * and the ground truth in magma on the prediction's scale (near bright, far dark, invalid black), and the
 * absolute relative error |pred - gt| / gt from 0 (dark) to {@value #MAX_ERROR} and above (bright), grey
 * where the ground truth is invalid.
 */
final class DepthTiles {
  /** The longer side of a thumbnail, in pixels. */
  static final int SIZE = 200;
  static final double MAX_ERROR = 0.5;
  private static final int INVALID_GREY = 0x9a9a9a;

  private final Path folder;
  private final int width;
  private final int height;

  /** Tiles for an image of {@code imageWidth x imageHeight}, written into {@code folder}. */
  DepthTiles(Path folder, int imageWidth, int imageHeight) {
    this.folder = folder;
    double scale = (double) SIZE / Math.max(imageWidth, imageHeight);
    this.width = Math.max(1, (int) Math.round(imageWidth * scale));
    this.height = Math.max(1, (int) Math.round(imageHeight * scale));
  }

  ReportImage input(RgbImage image, String path) throws IOException {
    RgbImage small = PillowResize.resize(image, width, height, ResampleFilter.BILINEAR);
    return write(path, small.pixels());
  }

  ReportImage depth(float[] depth, int depthHeight, int depthWidth, DepthColormap.Scale scale, String path)
      throws IOException {
    float[] valid = new float[depth.length];
    for (int i = 0; i < depth.length; i++) {
      valid[i] = depth[i] > 0 ? depth[i] : Float.NaN;
    }
    return write(path, DepthColormap.toRgb(shrink(valid, depthHeight, depthWidth), scale));
  }

  /** Per-pixel abs rel where the ground truth lies strictly between the range, the prediction clamped into it. */
  ReportImage absRelError(float[] depth, float[] groundTruth, int depthHeight, int depthWidth, double minDepth,
      double maxDepth, String path) throws IOException {
    float[] error = new float[depth.length];
    for (int i = 0; i < depth.length; i++) {
      float gt = groundTruth[i];
      if (gt > minDepth && gt < maxDepth && !Float.isNaN(depth[i])) {
        double pred = Math.min(maxDepth, Math.max(minDepth, depth[i]));
        error[i] = (float) (Math.abs(pred - gt) / gt);
      } else {
        error[i] = Float.NaN;
      }
    }
    float[] small = shrink(error, depthHeight, depthWidth);
    byte[] rgb = new byte[small.length * 3];
    for (int i = 0; i < small.length; i++) {
      int color = Float.isNaN(small[i]) ? INVALID_GREY
          : Magma.rgb((int) Math.round(Math.min(1, small[i] / MAX_ERROR) * (Magma.SIZE - 1)));
      rgb[3 * i] = (byte) (color >> 16);
      rgb[3 * i + 1] = (byte) (color >> 8);
      rgb[3 * i + 2] = (byte) color;
    }
    return write(path, rgb);
  }

  /**
   * {@code values} (row-major) at the thumbnail size: the mean of the finite values of the source pixels
   * each thumbnail pixel covers, NaN where there is none, so sparse ground truth (KITTI's lidar) stays visible.
   */
  float[] shrink(float[] values, int sourceHeight, int sourceWidth) {
    float[] out = new float[width * height];
    for (int y = 0; y < height; y++) {
      int y0 = y * sourceHeight / height;
      int y1 = Math.max(y0 + 1, (y + 1) * sourceHeight / height);
      for (int x = 0; x < width; x++) {
        int x0 = x * sourceWidth / width;
        int x1 = Math.max(x0 + 1, (x + 1) * sourceWidth / width);
        double sum = 0;
        int n = 0;
        for (int sy = y0; sy < y1; sy++) {
          for (int sx = x0; sx < x1; sx++) {
            float v = values[sy * sourceWidth + sx];
            if (Float.isFinite(v)) {
              sum += v;
              n++;
            }
          }
        }
        out[y * width + x] = n == 0 ? Float.NaN : (float) (sum / n);
      }
    }
    return out;
  }

  private ReportImage write(String path, byte[] rgb) throws IOException {
    Files.write(folder.resolve(path), PngEncoder.encode(rgb, width, height, 3));
    return new ReportImage(path, width, height);
  }
}
