package dev.depthprobe.udfs;

import dev.depthprobe.image.ImageDecodeException;
import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.imagegpt.FeatureExtractor;
import dev.depthprobe.imagegpt.FeatureSpec;
import dev.depthprobe.imagegpt.ImageGptConfig;
import dev.depthprobe.imagegpt.ImageGptImageProcessor;
import dev.depthprobe.imagegpt.ImageGptModel;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.device.DeviceBatchQueue;
import dev.depthprobe.udfs.device.TaskDevice;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ImageGPT linear-probe features on executors: one output row per input image and asked layer, in the
 * input's order. Images of any size go through the processor (resized to the model's square), so every
 * batch is full: {@code batchSize} decodable images, the last one of a partition excepted. An image that
 * cannot be decoded or processed gives one error row per layer, with null features.
 */
public final class FeaturePartitionFunction {
  private static final Logger LOG = LoggerFactory.getLogger(FeaturePartitionFunction.class);
  /** Metadata keys on the {@code features} column: how the vectors were made. */
  public static final String RECIPE_KEY = "recipe";
  public static final String PREPEND_SOS_KEY = "prepend_sos";
  public static final String POOL_SOS_KEY = "pool_sos";
  /** How long a part-filled batch waits in the queue for other tasks' images. */
  private static final Duration QUEUE_WAIT = Duration.ofMillis(50);

  private FeaturePartitionFunction() {}

  /**
   * The feature table's columns (without the run partition): {@code image_id}, {@code source},
   * {@code label}, {@code layer}, {@code features} (carrying the recipe in its metadata), {@code model},
   * {@code status}, {@code error}.
   */
  public static StructType outputSchema(FeatureSpec spec) {
    Metadata recipe = new MetadataBuilder()
        .putString(RECIPE_KEY, spec.recipe().name().toLowerCase(Locale.ROOT))
        .putBoolean(PREPEND_SOS_KEY, spec.prependSos())
        .putBoolean(POOL_SOS_KEY, spec.poolSos())
        .build();
    return new StructType(new StructField[] {
        DataTypes.createStructField("image_id", DataTypes.StringType, false),
        DataTypes.createStructField("source", DataTypes.StringType, true),
        DataTypes.createStructField("label", DataTypes.StringType, true),
        DataTypes.createStructField("layer", DataTypes.IntegerType, false),
        new StructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), true, recipe),
        DataTypes.createStructField("model", DataTypes.StringType, false),
        DataTypes.createStructField("status", DataTypes.StringType, false),
        DataTypes.createStructField("error", DataTypes.StringType, true)});
  }

  /**
   * The partition function over rows of {@code (image_id, source, content, label)}, in that order;
   * {@code label} may be null. Captures the model source (a broadcast or a path), the spec, primitives
   * and the accumulators; the model comes from the executor's {@link ModelCache}, built once per
   * executor and device. On a GPU the tasks sharing the device submit their batches to one
   * {@link DeviceBatchQueue}, which merges them into full batches.
   *
   * @param threads ND4J threads per task, or {@code null} for the executor's fair share
   * @param device CPU or GPU, resolved on the driver
   * @param maxImagePixels images whose header declares more pixels are refused undecoded (error rows)
   */
  public static MapPartitionsFunction<Row, Row> extractFeatures(ModelSource model, FeatureSpec spec,
      int batchSize, Integer threads, Device device, long maxImagePixels, ImageCounters counters) {
    return extractFeatures(model, spec, batchSize, threads, device, maxImagePixels, counters, device == Device.GPU);
  }

  /** {@link #extractFeatures}, with the device's batch queue or without it; tests take the queue on the CPU. */
  static MapPartitionsFunction<Row, Row> extractFeatures(ModelSource model, FeatureSpec spec, int batchSize,
      Integer threads, Device device, long maxImagePixels, ImageCounters counters, boolean batchQueue) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    return rows -> {
      if (!rows.hasNext()) {
        return Collections.emptyIterator();
      }
      String deviceLabel = TaskDevice.pin(device, TaskContext.get().resourcesJMap());
      TaskThreads.use(TaskThreads.forCurrentTask(threads));
      String cacheKey = TaskDevice.cacheKey(model.key(), deviceLabel);
      FeatureExtractor extractor = ModelCache.getOrLoad(cacheKey, () -> build(model));
      Function<List<RgbImage>, float[][][]> runBatch;
      if (batchQueue) {
        DeviceBatchQueue<RgbImage, float[][]> queue = queue(cacheKey, deviceLabel, extractor, spec, batchSize);
        runBatch = images -> queue.runAll(images).toArray(float[][][]::new);
      } else {
        runBatch = images -> extractor.extract(images, spec);
      }
      return new Batches(rows, runBatch, spec, batchSize, model.label(), new ImageLoader(maxImagePixels),
          counters);
    };
  }

  /**
   * The executor's batch queue of one device, model, spec and batch size, made on first use. Every
   * image is resized to the model's square, so any images can share a batch: one batch key.
   */
  private static DeviceBatchQueue<RgbImage, float[][]> queue(String cacheKey, String deviceLabel,
      FeatureExtractor extractor, FeatureSpec spec, int batchSize) {
    String queueKey = cacheKey + "#queue:" + batchSize + ":" + spec;
    return ModelCache.getOrLoad(queueKey, () -> new DeviceBatchQueue<RgbImage, float[][]>(deviceLabel, batchSize,
        QUEUE_WAIT, image -> Boolean.TRUE, images -> List.of(extractor.extract(images, spec))));
  }

  /** The processor and the model of a checkpoint, as its configs and weights arrive on the executor. */
  static FeatureExtractor build(ModelSource model) {
    ImageGptConfig config = ImageGptConfig.fromJson(model.config());
    return new FeatureExtractor(ImageGptImageProcessor.fromConfig(model.preprocessorConfig()),
        ImageGptModel.fromStateDict(config, model.weights()));
  }

  /** Reads the input a batch at a time and hands out the batch's output rows in input order. */
  private static final class Batches implements Iterator<Row> {
    private final Iterator<Row> input;
    private final Function<List<RgbImage>, float[][][]> runBatch;
    private final int[] layers;
    private final int batchSize;
    private final String modelLabel;
    private final ImageLoader loader;
    private final ImageCounters counters;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();

    /** @param runBatch one {@code [layer][n_embd]} array per image, in order: directly or through the queue */
    Batches(Iterator<Row> input, Function<List<RgbImage>, float[][][]> runBatch, FeatureSpec spec, int batchSize,
        String modelLabel, ImageLoader loader, ImageCounters counters) {
      this.input = input;
      this.runBatch = runBatch;
      this.layers = spec.layers();
      this.batchSize = batchSize;
      this.modelLabel = modelLabel;
      this.loader = loader;
      this.counters = counters;
    }

    @Override
    public boolean hasNext() {
      if (ready.isEmpty() && input.hasNext()) {
        nextBatch();
      }
      return !ready.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    /** Decodes input rows until {@code batchSize} images decoded (or the input ends), then runs them. */
    private void nextBatch() {
      List<Row> rows = new ArrayList<>();
      List<String> decodeErrors = new ArrayList<>();
      List<RgbImage> images = new ArrayList<>();
      while (images.size() < batchSize && input.hasNext()) {
        Row row = input.next();
        rows.add(row);
        try {
          images.add(loader.load((byte[]) row.get(2), row.getString(0)));
          decodeErrors.add(null);
        } catch (ImageDecodeException e) {
          decodeErrors.add("decode: " + e.getMessage());
        }
      }
      float[][][] features = null;
      String batchError = null;
      long start = System.nanoTime();
      try {
        features = runBatch.apply(images);
      } catch (RuntimeException e) {
        batchError = "model: " + oneLine(e);
        LOG.warn("Feature batch of {} images failed: {}", images.size(), batchError, e);
      }
      counters.addModelMillis((System.nanoTime() - start) / 1_000_000);
      int image = 0;
      long ok = 0;
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        String error = decodeErrors.get(i);
        if (error == null) {
          error = batchError;
          if (error == null) {
            float[][] perLayer = features[image];
            for (int j = 0; j < layers.length; j++) {
              ready.add(RowFactory.create(row.getString(0), row.getString(1), row.getString(3), layers[j],
                  perLayer[j], modelLabel, "ok", null));
            }
            ok++;
          }
          image++;
        }
        if (error != null) {
          for (int layer : layers) {
            ready.add(RowFactory.create(row.getString(0), row.getString(1), row.getString(3), layer, null,
                modelLabel, "error", error));
          }
        }
      }
      counters.addOk(ok);
      counters.addFailed(rows.size() - ok);
    }

    private static String oneLine(Throwable e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return message.lines().findFirst().orElse(message);
    }
  }
}
