package dev.depthprobe.udfs.partition;

import dev.depthprobe.errors.Messages;
import dev.depthprobe.image.ImageDecodeException;
import dev.depthprobe.image.ImageLoader;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.model.ImageModel;
import dev.depthprobe.udfs.ImageCounters;
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
 * One task's output rows, produced lazily from its input rows, in steps: read the row by column name,
 * decode, find the processed size, wait in the bucket of that size; a full bucket ({@code batchSize}
 * images) runs as one batch, and when too many images wait in part-filled buckets one runs early. A
 * failure at any step becomes the job's error rows with a one-line {@code kind: message}
 * ({@link ErrorKind}), and a failed batch is retried image by image so that only the failing image is
 * an error; an {@code OutOfMemoryError} or {@code StackOverflowError} of one image is its
 * {@code resource} error (what it held is unreachable once its row is out). Every input row gives the
 * job's rows exactly once.
 *
 * <p>The steps are the seams for per-image work: {@link ImageAdmission}, before {@link #decode}, refuses an
 * image whose header promises more memory or time than the task has; what the model is given for an
 * image ({@link ImageJob#modelInput}) may differ from the decoded image it reports on (e.g. the KB
 * crop); a job's {@link ImageJob#rows} may give several rows per image.
 */
final class ImageRows<M extends ImageModel, R> implements Iterator<Row> {
  private static final Logger LOG = LoggerFactory.getLogger(ImageRows.class);
  /** Decoded images waiting in part-filled buckets, in batches: bounds a task's memory. */
  private static final int MAX_WAITING_BATCHES = 2;

  private final Iterator<Row> input;
  private final M model;
  private final Function<List<RgbImage>, List<R>> runBatch;
  private final ImageJob<M, R> job;
  private final int batchSize;
  private final ImageLoader loader;
  private final ImageAdmission admission;
  private final ImageCounters counters;
  private final Map<ProcessedSize, List<Pending>> buckets = new LinkedHashMap<>();
  private final RowOutput output;
  private int waiting;
  private long read;

  /**
   * @param runBatch runs the model on a batch of images of one processed size: directly, or through the
   *     device's batch queue
   */
  ImageRows(Iterator<Row> input, M model, Function<List<RgbImage>, List<R>> runBatch, ImageJob<M, R> job,
      TaskSettings settings, ImageAdmission admission, ImageCounters counters) {
    this.input = input;
    this.model = model;
    this.runBatch = runBatch;
    this.job = job;
    this.batchSize = settings.batchSize();
    this.loader = new ImageLoader(settings.limits().maxImagePixels());
    this.admission = admission;
    this.counters = counters;
    this.output = new RowOutput(job.inputOrder());
  }

  @Override
  public boolean hasNext() {
    while (!output.hasNext() && (input.hasNext() || waiting > 0)) {
      if (input.hasNext()) {
        accept(InputImage.read(input.next()), read++);
      } else {
        runBucket(buckets.keySet().iterator().next());
      }
    }
    return output.hasNext();
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return output.next();
  }

  private void accept(InputImage in, long seq) {
    String refusal = admission.refusal(in);
    if (refusal != null) {
      fail(in, seq, null, ErrorKind.RESOURCE, new IllegalStateException(refusal));
      return;
    }
    RgbImage image;
    try {
      image = decode(in);
    } catch (ImageDecodeException | IllegalArgumentException e) {
      fail(in, seq, null, ErrorKind.DECODE, e);
      return;
    } catch (OutOfMemoryError | StackOverflowError e) {
      fail(in, seq, null, ErrorKind.RESOURCE, outOfResources("decoding", e));
      return;
    }
    RgbImage modelInput;
    ProcessedSize size;
    try {
      modelInput = job.modelInput(image);
      size = ProcessedSize.of(model, modelInput);
    } catch (RuntimeException e) {
      fail(in, seq, image, ErrorKind.PREPROCESS, e);
      return;
    } catch (OutOfMemoryError | StackOverflowError e) {
      fail(in, seq, image, ErrorKind.RESOURCE, outOfResources("preprocessing", e));
      return;
    }
    List<Pending> bucket = buckets.computeIfAbsent(size, s -> new ArrayList<>());
    bucket.add(new Pending(in, seq, image, modelInput, size));
    waiting++;
    if (bucket.size() >= batchSize) {
      runBucket(size);
    } else if (waiting > MAX_WAITING_BATCHES * batchSize) {
      runBucket(output.inOrder() ? buckets.keySet().iterator().next() : fullestBucket());
    }
  }

  private RgbImage decode(InputImage in) throws ImageDecodeException {
    if (in.readError() != null) {
      throw new ImageDecodeException(in.imageId() + ": " + in.readError());
    }
    return loader.load(in.content() == null ? new byte[0] : in.content(), in.imageId());
  }

  /** The bucket with the most images (without input order; with it, the oldest bucket, which holds the next row out, runs). */
  private ProcessedSize fullestBucket() {
    return buckets.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
  }

  private void runBucket(ProcessedSize size) {
    List<Pending> batch = buckets.remove(size);
    waiting -= batch.size();
    run(batch);
  }

  private void run(List<Pending> batch) {
    List<R> results;
    long start = System.nanoTime();
    try {
      results = runBatch.apply(batch.stream().map(Pending::modelInput).toList());
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      if (batch.size() > 1) {
        LOG.warn("A batch of {} images failed ({}); running them one by one", batch.size(), Messages.oneLine(e));
        batch.forEach(p -> run(List.of(p)));
      } else {
        Pending p = batch.get(0);
        if (e instanceof RuntimeException) {
          fail(p.input(), p.seq(), p.image(), ErrorKind.MODEL, e);
        } else {
          fail(p.input(), p.seq(), p.image(), ErrorKind.RESOURCE, outOfResources("running the model on", (Error) e));
        }
      }
      return;
    } finally {
      counters.addModelMillis((System.nanoTime() - start) / 1_000_000);
    }
    for (int i = 0; i < batch.size(); i++) {
      emit(batch.get(i), results.get(i));
    }
  }

  private void emit(Pending p, R result) {
    List<Row> rows;
    try {
      rows = job.rows(p.input(), p.image(), p.size(), result);
    } catch (ImageFailure e) {
      fail(p.input(), p.seq(), p.image(), e.kind(), e.getCause());
      return;
    }
    output.put(p.seq(), rows);
    counters.addOk(1);
  }

  /** An {@code OutOfMemoryError} or {@code StackOverflowError} of one image, as its one-line reason. */
  private static IllegalStateException outOfResources(String step, Error e) {
    String what = e instanceof StackOverflowError ? "out of stack" : "out of memory (" + Messages.oneLine(e) + ")";
    return new IllegalStateException(what + " while " + step + " the image; give executors more memory or set "
        + "--max-model-pixels", e);
  }

  private void fail(InputImage in, long seq, RgbImage image, ErrorKind kind, Throwable e) {
    LOG.debug("{}: {} failed", in.imageId(), kind, e);
    output.put(seq, job.errorRows(in, image, kind.error(e)));
    counters.addFailed(kind);
  }

  /**
   * An image waiting for its batch.
   *
   * @param image the decoded image, which the rows describe
   * @param modelInput what the model runs on
   * @param size the size the model sees
   */
  private record Pending(InputImage input, long seq, RgbImage image, RgbImage modelInput, ProcessedSize size) {}
}
