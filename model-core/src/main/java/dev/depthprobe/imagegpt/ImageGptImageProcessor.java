package dev.depthprobe.imagegpt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.checkpoint.ConfigValues;
import dev.depthprobe.image.PillowResize;
import dev.depthprobe.image.ResampleFilter;
import dev.depthprobe.image.RgbImage;

/**
 * transformers' {@code ImageGPTImageProcessor}: Pillow resize to {@code size} (aspect ratio not
 * kept), normalise to {@code x / 127.5 - 1}, quantise each pixel to the nearest colour cluster and
 * flatten row-major into {@code input_ids}. No start-of-sequence token is prepended.
 */
public final class ImageGptImageProcessor {
  private static final String[] TYPE_KEYS = {"image_processor_type", "feature_extractor_type"};
  private static final String FILE = "preprocessor_config.json";
  private static final int MAX_SIZE = 4096;
  private static final int MAX_CLUSTERS = 1 << 16;

  private final double[][] clusters;
  private final double[] clusterNorms;
  private final int height;
  private final int width;
  private final ResampleFilter resample;

  /** A processor with Pillow BILINEAR resizing, as every released ImageGPT checkpoint uses. */
  public ImageGptImageProcessor(double[][] clusters, int height, int width) {
    this(clusters, height, width, ResampleFilter.BILINEAR);
  }

  /** @param clusters {@code [n][3]} colour centres in [-1, 1]; row i is token i */
  public ImageGptImageProcessor(double[][] clusters, int height, int width, ResampleFilter resample) {
    if (clusters.length == 0) {
      throw new IllegalArgumentException("clusters is empty");
    }
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("size must be positive, got " + height + "x" + width);
    }
    this.clusters = new double[clusters.length][];
    this.clusterNorms = new double[clusters.length];
    for (int i = 0; i < clusters.length; i++) {
      if (clusters[i].length != 3) {
        throw new IllegalArgumentException("cluster " + i + " has " + clusters[i].length + " values, expected 3");
      }
      double[] c = clusters[i].clone();
      this.clusters[i] = c;
      // numpy: np.sum(np.square(clusters.T), axis=0) in float64
      this.clusterNorms[i] = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
    }
    this.height = height;
    this.width = width;
    this.resample = resample;
  }

  /**
   * Reads {@code preprocessor_config.json}: {@code clusters} (nested arrays), {@code size}
   * ({@code {"height", "width"}} or a plain int, as legacy feature-extractor files store it) and
   * {@code resample}. Configs that switch off resizing, normalisation or quantisation are refused:
   * the model consumes quantised {@code size} images only.
   */
  public static ImageGptImageProcessor fromConfig(JsonNode config) {
    ConfigValues values = new ConfigValues(config, FILE);
    for (String key : TYPE_KEYS) {
      String type = config.path(key).asText("");
      if (!type.isEmpty() && !type.startsWith("ImageGPT")) {
        throw values.invalid(key, "is " + type + ", not an ImageGPT image processor");
      }
    }
    for (String flag : new String[] {"do_resize", "do_normalize", "do_color_quantize"}) {
      if (!config.path(flag).asBoolean(true)) {
        throw values.invalid(flag, "is false, which is not supported: the model takes colour-quantised input_ids");
      }
    }
    JsonNode rows = config.path("clusters");
    if (!rows.isArray() || rows.isEmpty() || rows.size() > MAX_CLUSTERS) {
      throw values.invalid("clusters", "must be a list of 1 to " + MAX_CLUSTERS + " colours");
    }
    double[][] clusters = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      if (!row.isArray() || row.size() != 3) {
        throw values.invalid("clusters[" + i + "]", "must be a list of 3 numbers");
      }
      clusters[i] = new double[3];
      for (int j = 0; j < 3; j++) {
        double v = row.get(j).asDouble();
        if (!row.get(j).isNumber() || !Double.isFinite(v)) {
          throw values.invalid("clusters[" + i + "][" + j + "]", "is " + row.get(j) + "; must be a finite number");
        }
        clusters[i][j] = v;
      }
    }
    JsonNode size = config.path("size");
    int h;
    int w;
    if (size.isObject()) {
      ConfigValues sizes = new ConfigValues(size, FILE);
      h = sizes.integer("height", -1, 1, MAX_SIZE);
      w = sizes.integer("width", -1, 1, MAX_SIZE);
    } else {
      h = values.integer("size", -1, 1, MAX_SIZE);
      w = h;
    }
    if (h <= 0 || w <= 0) {
      throw values.invalid("size", "must be an int or {height, width}, got " + size);
    }
    int resample = values.integer("resample", ResampleFilter.BILINEAR.pillowCode(), 0, 5);
    try {
      return new ImageGptImageProcessor(clusters, h, w, ResampleFilter.fromPillowCode(resample));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(FILE + ": " + e.getMessage());
    }
  }

  /** {height, width} of every image after the processor: {@code size}, whatever the image's own size. */
  public int[] processedSize(int imageHeight, int imageWidth) {
    return new int[] {height, width};
  }

  public int sequenceLength() {
    return height * width;
  }

  public int numClusters() {
    return clusters.length;
  }

  /** The uint8 image at {@code size}. */
  public RgbImage resize(RgbImage image) {
    return PillowResize.resize(image, width, height, resample);
  }

  /** The resized image as float32 HWC, {@code float32(uint8 * (1/127.5)) - 1}. */
  public float[] normalized(RgbImage image) {
    byte[] src = resize(image).pixels();
    float[] out = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = (float) ((src[i] & 0xff) * (1 / 127.5)) - 1f;
    }
    return out;
  }

  /** {@code input_ids} of one image: the nearest cluster of each pixel, row by row. */
  public long[] inputIds(RgbImage image) {
    float[] x = normalized(image);
    long[] ids = new long[x.length / 3];
    for (int p = 0; p < ids.length; p++) {
      ids[p] = nearestCluster(x[p * 3], x[p * 3 + 1], x[p * 3 + 2]);
    }
    return ids;
  }

  /**
   * numpy's {@code argmin(|x|^2 - 2 x.c + |c|^2)}: |x|^2 summed in float32, the rest in float64,
   * ties to the lowest index.
   */
  private int nearestCluster(float r, float g, float b) {
    float xx = r * r + g * g + b * b;
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int i = 0; i < clusters.length; i++) {
      double[] c = clusters[i];
      double dot = r * c[0] + g * c[1] + b * c[2];
      double d = xx - 2 * dot + clusterNorms[i];
      if (d < bestDistance) {
        best = i;
        bestDistance = d;
      }
    }
    return best;
  }
}
