package dev.depthprobe.udfs;

import dev.depthprobe.datasets.InputSchema;
import dev.depthprobe.glpn.DepthEstimator;
import dev.depthprobe.model.DepthMap;
import dev.depthprobe.image.ImageDecodeException;
import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.RgbImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's depth rows, produced lazily from its input rows: each image is decoded and put in the
 * bucket of its processed size; a full bucket ({@code batchSize} images) runs as one batch, and when
 * too many images wait in part-filled buckets the fullest one runs early. Rows come out in any order,
 * exactly one per input row: a failure at any step (decode, preprocess, model, PNG) becomes an error
 * row with a one-line {@code kind: message}, and a failed batch is retried image by image so that only
 * the failing image is an error.
 */
final class DepthRowIterator implements Iterator<Row> {
  private static final Logger LOG = LoggerFactory.getLogger(DepthRowIterator.class);
  /** Decoded images waiting in part-filled buckets, in batches: bounds a task's memory. */
  private static final int MAX_WAITING_BATCHES = 2;

  private final Iterator<Row> input;
  private final DepthEstimator estimator;
  private final Function<List<RgbImage>, List<DepthMap>> runBatch;
  private final String model;
  private final DepthTaskSettings settings;
  private final DepthPngFiles pngFiles;
  private final ImageCounters counters;
  private final boolean failAfterFirstRow;
  private final ImageLoader loader;
  private final Map<ProcessedSize, List<Decoded>> buckets = new LinkedHashMap<>();
  private final ArrayDeque<Row> ready = new ArrayDeque<>();
  private int waiting;
  private long emitted;

  /**
   * @param estimator gives each image's processed size
   * @param runBatch runs the estimator on a batch of images of one processed size: directly, or through
   *     the device's batch queue
   * @param pngFiles where to write PNGs, or {@code null}
   * @param failAfterFirstRow test hook: throw after the first row, to make Spark retry the task
   */
  DepthRowIterator(Iterator<Row> input, DepthEstimator estimator, Function<List<RgbImage>, List<DepthMap>> runBatch,
      String model, DepthTaskSettings settings, DepthPngFiles pngFiles, ImageCounters counters,
      boolean failAfterFirstRow) {
    this.input = input;
    this.estimator = estimator;
    this.runBatch = runBatch;
    this.model = model;
    this.settings = settings;
    this.loader = new ImageLoader(settings.maxImagePixels());
    this.pngFiles = pngFiles;
    this.counters = counters;
    this.failAfterFirstRow = failAfterFirstRow;
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && (input.hasNext() || waiting > 0)) {
      if (input.hasNext()) {
        accept(input.next());
      } else {
        runBucket(buckets.keySet().iterator().next());
      }
    }
    return !ready.isEmpty();
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    if (failAfterFirstRow && emitted == 1) {
      throw new IllegalStateException("test hook spark.depthprobe.test.failFirstAttempt: failing attempt 0 of "
          + "partition 0 after one row");
    }
    emitted++;
    return ready.poll();
  }

  private void accept(Row row) {
    String imageId = row.getAs(InputSchema.IMAGE_ID);
    String source = row.getAs(InputSchema.SOURCE);
    byte[] content = row.getAs(InputSchema.CONTENT);
    RgbImage image;
    try {
      image = loader.load(content == null ? new byte[0] : content, imageId);
    } catch (ImageDecodeException | IllegalArgumentException e) {
      fail(imageId, source, null, "decode", e);
      return;
    }
    ProcessedSize size;
    try {
      size = ProcessedSize.of(estimator, image);
    } catch (RuntimeException e) {
      fail(imageId, source, image, "preprocess", e);
      return;
    }
    List<Decoded> bucket = buckets.computeIfAbsent(size, s -> new ArrayList<>());
    bucket.add(new Decoded(imageId, source, image));
    waiting++;
    if (bucket.size() >= settings.batchSize()) {
      runBucket(size);
    } else if (waiting > MAX_WAITING_BATCHES * settings.batchSize()) {
      runBucket(buckets.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
          .orElseThrow().getKey());
    }
  }

  private void runBucket(ProcessedSize size) {
    List<Decoded> batch = buckets.remove(size);
    waiting -= batch.size();
    run(batch);
  }

  private void run(List<Decoded> batch) {
    List<DepthMap> depths;
    long start = System.nanoTime();
    try {
      depths = runBatch.apply(batch.stream().map(Decoded::image).toList());
    } catch (RuntimeException e) {
      if (batch.size() > 1) {
        LOG.warn("A batch of {} images failed ({}); running them one by one", batch.size(), oneLine(e));
        batch.forEach(d -> run(List.of(d)));
      } else {
        Decoded d = batch.get(0);
        fail(d.imageId(), d.source(), d.image(), "model", e);
      }
      return;
    } finally {
      counters.addModelMillis((System.nanoTime() - start) / 1_000_000);
    }
    for (int i = 0; i < batch.size(); i++) {
      emit(batch.get(i), depths.get(i));
    }
  }

  private void emit(Decoded d, DepthMap depth) {
    if (pngFiles != null) {
      try {
        pngFiles.write(d.imageId(), depth.metres(), depth.height(), depth.width());
      } catch (Exception e) {
        fail(d.imageId(), d.source(), d.image(), "png", e);
        return;
      }
    }
    ready.add(DepthRows.ok(d.imageId(), d.source(), d.image().width(), d.image().height(), depth.metres(),
        depth.height(), depth.width(), model));
    counters.addOk(1);
  }

  private void fail(String imageId, String source, RgbImage image, String kind, Exception e) {
    LOG.debug("{}: {} failed", imageId, kind, e);
    ready.add(DepthRows.error(imageId, source, image == null ? null : image.width(),
        image == null ? null : image.height(), model, kind + ": " + oneLine(e)));
    counters.addFailed(1);
  }

  static String oneLine(Throwable e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return msg.lines().findFirst().orElse(e.getClass().getSimpleName());
  }

  private record Decoded(String imageId, String source, RgbImage image) {}
}
