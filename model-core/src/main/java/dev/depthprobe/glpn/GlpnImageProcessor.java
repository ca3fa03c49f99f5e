package dev.depthprobe.glpn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.ConfigValues;
import dev.depthprobe.image.PillowResize;
import dev.depthprobe.image.ResampleFilter;
import dev.depthprobe.image.RgbImage;

/**
 * transformers' {@code GLPNImageProcessor} (slow, PIL-based): resize each side down to a multiple
 * of {@code size_divisor} with Pillow, then {@code float32(uint8 * rescale_factor)}, channels first.
 * No mean/std normalisation.
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

  public GlpnImageProcessor(boolean doResize, int sizeDivisor, ResampleFilter resample,
      boolean doRescale, double rescaleFactor) {
    if (sizeDivisor <= 0) {
      throw new IllegalArgumentException("size_divisor must be positive, got " + sizeDivisor);
    }
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

  /** {height, width} after preprocessing: each side rounded down to a multiple of size_divisor. */
  public int[] processedSize(int height, int width) {
    if (!doResize) {
      return new int[] {height, width};
    }
    int h = height / sizeDivisor * sizeDivisor;
    int w = width / sizeDivisor * sizeDivisor;
    if (h <= 0 || w <= 0) {
      // transformers: ValueError("height and width must be > 0") from the PIL resize
      throw new IllegalArgumentException("height and width must be > 0 (image " + height + "x" + width
          + " is smaller than size_divisor " + sizeDivisor + ")");
    }
    return new int[] {h, w};
  }

  /** The uint8 image the model sees, before rescaling. */
  public RgbImage resize(RgbImage image) {
    int[] hw = processedSize(image.height(), image.width());
    return PillowResize.resize(image, hw[1], hw[0], resample);
  }

  /** {@code pixel_values} of one image: float32 [3, h, w] (CHW) of the resized image. */
  public float[] pixelValues(RgbImage image) {
    RgbImage resized = resize(image);
    int plane = resized.width() * resized.height();
    byte[] src = resized.pixels();
    float[] out = new float[3 * plane];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < 3; c++) {
        int v = src[p * 3 + c] & 0xff;
        // numpy: (uint8 as float64 * scale).astype(float32)
        out[c * plane + p] = doRescale ? (float) (v * rescaleFactor) : v;
      }
    }
    return out;
  }
}
