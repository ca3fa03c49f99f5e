package dev.depthprobe.glpn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.ConfigValues;
import dev.depthprobe.image.PillowResize;
import dev.depthprobe.image.ResampleFilter;
import dev.depthprobe.image.RgbImage;
import java.nio.FloatBuffer;

/**
 * transformers' {@code GLPNImageProcessor} (slow, PIL-based): resize each side down to a multiple
 * of {@code size_divisor} with Pillow, then {@code float32(uint8 * rescale_factor)}, channels first.
 * No mean/std normalisation.
 *
 * <p>With a model pixel limit ({@link #withMaxModelPixels}, off by default, a departure from transformers) an
 * image whose processed size has more pixels is resized, in the same single Pillow resize, to the largest size
 * within the limit that keeps its aspect ratio ({@link #limitedSize}).
 */
public final class GlpnImageProcessor {
  private static final String[] TYPE_KEYS = {"image_processor_type", "feature_extractor_type"};
  private static final String FILE = "preprocessor_config.json";
  private static final int MAX_SIZE_DIVISOR = 4096;

  private final boolean doResize;
  private final int sizeDivisor;
  private final ResampleFilter resample;
  private final boolean doRescale;
  private final double rescaleFactor;
  private final long maxModelPixels;

  public GlpnImageProcessor(boolean doResize, int sizeDivisor, ResampleFilter resample,
      boolean doRescale, double rescaleFactor) {
    this(doResize, sizeDivisor, resample, doRescale, rescaleFactor, 0);
  }

  private GlpnImageProcessor(boolean doResize, int sizeDivisor, ResampleFilter resample,
      boolean doRescale, double rescaleFactor, long maxModelPixels) {
    if (sizeDivisor <= 0) {
      throw new IllegalArgumentException("size_divisor must be positive, got " + sizeDivisor);
    }
    if (maxModelPixels != 0 && maxModelPixels < (long) sizeDivisor * sizeDivisor) {
      throw new IllegalArgumentException("the model pixel limit must be at least size_divisor squared ("
          + (long) sizeDivisor * sizeDivisor + "), got " + maxModelPixels);
    }
    this.maxModelPixels = maxModelPixels;
    this.doResize = doResize;
    this.sizeDivisor = sizeDivisor;
    this.resample = resample;
    this.doRescale = doRescale;
    this.rescaleFactor = rescaleFactor;
  }

  /**
   * Reads {@code preprocessor_config.json}; missing keys take transformers' defaults
   * (do_resize true, size_divisor 32, resample 2, do_rescale true, rescale_factor 1/255). Legacy
   * files name the class in {@code feature_extractor_type}. A value out of bounds is a
   * {@link CheckpointException} naming the file and the key.
   */
  public static GlpnImageProcessor fromConfig(JsonNode config) {
    ConfigValues values = new ConfigValues(config, FILE);
    for (String key : TYPE_KEYS) {
      String type = config.path(key).asText("");
      if (!type.isEmpty() && !type.startsWith("GLPN")) {
        throw values.invalid(key, "is " + type + ", not a GLPN image processor");
      }
    }
    int resample = values.integer("resample", ResampleFilter.BILINEAR.pillowCode(), 0, 5);
    try {
      return new GlpnImageProcessor(
          config.path("do_resize").asBoolean(true),
          values.integer("size_divisor", 32, 1, MAX_SIZE_DIVISOR),
          ResampleFilter.fromPillowCode(resample),
          config.path("do_rescale").asBoolean(true),
          values.positiveNumber("rescale_factor", 1 / 255.0, 1e6));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(FILE + ": " + e.getMessage());
    }
  }

  /**
   * This processor with a limit on the pixels the model sees; 0 turns it off.
   *
   * @throws IllegalArgumentException when the limit is below size_divisor squared (no size would fit)
   */
  public GlpnImageProcessor withMaxModelPixels(long maxModelPixels) {
    return new GlpnImageProcessor(doResize, sizeDivisor, resample, doRescale, rescaleFactor, maxModelPixels);
  }

  /** The limit on the pixels the model sees, 0 when there is none. */
  public long maxModelPixels() {
    return maxModelPixels;
  }

  /**
   * {height, width} after preprocessing: each side rounded down to a multiple of size_divisor, or, when that
   * exceeds the model pixel limit, {@link #limitedSize}.
   */
  public int[] processedSize(int height, int width) {
    int h = height;
    int w = width;
    if (doResize) {
      h = height / sizeDivisor * sizeDivisor;
      w = width / sizeDivisor * sizeDivisor;
      if (h <= 0 || w <= 0) {
        // transformers: ValueError("height and width must be > 0") from the PIL resize
        throw new IllegalArgumentException("height and width must be > 0 (image " + height + "x" + width
            + " is smaller than size_divisor " + sizeDivisor + ")");
      }
    }
    return maxModelPixels > 0 && (long) h * w > maxModelPixels
        ? limitedSize(height, width, sizeDivisor, maxModelPixels) : new int[] {h, w};
  }

  /**
   * The largest {height, width} within {@code maxPixels} that keeps the image's aspect ratio as near as multiples of
   * {@code divisor} allow: both sides scaled by {@code sqrt(maxPixels / (height * width))} and rounded down to a
   * multiple of the divisor (at least one divisor), then one side raised by a divisor where that still fits and
   * brings the ratio of the sides nearer the image's.
   */
  static int[] limitedSize(int height, int width, int divisor, long maxPixels) {
    double scale = Math.sqrt((double) maxPixels / ((double) height * width));
    long h = Math.max(1, (long) Math.floor(height * scale / divisor)) * divisor;
    long w = Math.max(1, (long) Math.floor(width * scale / divisor)) * divisor;
    if (h * w > maxPixels) {
      // a side raised to one divisor: the other takes what the limit leaves
      if (h == divisor) {
        w = maxPixels / h / divisor * divisor;
      } else {
        h = maxPixels / w / divisor * divisor;
      }
    }
    long[] best = {h, w};
    for (long[] candidate : new long[][] {{h + divisor, w}, {h, w + divisor}}) {
      if (candidate[0] * candidate[1] <= maxPixels
          && aspectError(candidate, height, width) < aspectError(best, height, width)) {
        best = candidate;
      }
    }
    return new int[] {(int) best[0], (int) best[1]};
  }

  private static double aspectError(long[] hw, int height, int width) {
    return Math.abs(Math.log((double) hw[1] / hw[0]) - Math.log((double) width / height));
  }

  /** The uint8 image the model sees, before rescaling. */
  public RgbImage resize(RgbImage image) {
    int[] hw = processedSize(image.height(), image.width());
    return PillowResize.resize(image, hw[1], hw[0], resample);
  }

  /** {@code pixel_values} of one image: float32 [3, h, w] (CHW) of the resized image. */
  public float[] pixelValues(RgbImage image) {
    int[] hw = processedSize(image.height(), image.width());
    float[] out = new float[3 * hw[0] * hw[1]];
    pixelValues(image, FloatBuffer.wrap(out), 0);
    return out;
  }

  /**
   * {@code pixel_values} of one image, float32 [3, h, w] (CHW), written into {@code out} from index {@code offset}
   * as the resize yields bands of rows: no resized image or float array is held beside them.
   */
  public void pixelValues(RgbImage image, FloatBuffer out, int offset) {
    int[] hw = processedSize(image.height(), image.width());
    int h = hw[0];
    int w = hw[1];
    int plane = h * w;
    float[] level = new float[256];
    for (int v = 0; v < 256; v++) {
      // numpy: (uint8 as float64 * scale).astype(float32)
      level[v] = doRescale ? (float) (v * rescaleFactor) : v;
    }
    float[] row = new float[w];
    PillowResize.resizeInBands(image, w, h, resample, (firstRow, rows, band) -> {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < rows; y++) {
          for (int x = 0; x < w; x++) {
            row[x] = level[band[(y * w + x) * 3 + c] & 0xff];
          }
          out.put(offset + c * plane + (firstRow + y) * w, row, 0, w);
        }
      }
    });
  }
}
