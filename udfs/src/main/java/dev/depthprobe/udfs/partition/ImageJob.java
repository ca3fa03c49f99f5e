package dev.depthprobe.udfs.partition;

import dev.depthprobe.image.RgbImage;
import dev.depthprobe.model.ImageModel;
import dev.depthprobe.udfs.distribution.ModelSource;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * What a job adds to the {@link PartitionSkeleton}: its model, how a batch runs, and how a result or a
 * failure becomes the job's output rows (its schema). Captured by the partition function, so it holds
 * only serialisable settings; the model itself comes from the executor's model cache.
 *
 * @param <M> the model (the task's interface of the model registry)
 * @param <R> the model's result for one image
 */
public interface ImageJob<M extends ImageModel, R> extends Serializable {
  /** The model of the checkpoint, built on the executor from its configs and weights. */
  M build(ModelSource source);

  /**
   * What the model runs on for a decoded image: the image itself, or a job's per-image input (e.g. the
   * depth job's KB crop). An {@code IllegalArgumentException} here makes the image a {@code preprocess}
   * error.
   */
  default RgbImage modelInput(RgbImage image) {
    return image;
  }

  /**
   * The model as this job runs it, from the executor's shared one (e.g. with a limit on the processed size);
   * cheap, once per task.
   */
  default M forTask(M built) {
    return built;
  }

  /** The results of one batch of images of one processed size, in order. */
  List<R> run(M model, List<RgbImage> images);

  /**
   * What, besides the model, device and batch size, makes two tasks' batches differ (e.g. the depth
   * resolution, the feature spec): tasks share a device's batch queue only where this is equal.
   */
  String resultKey();

  /** Whether rows come out in the input's order (the features job) or as their batches finish. */
  boolean inputOrder();

  /**
   * The rows of an image the model ran on at {@code modelSize}: one, or several (one per layer). Throws
   * {@link ImageFailure} where this step fails for the image (e.g. its PNG cannot be written).
   */
  List<Row> rows(InputImage input, RgbImage image, ProcessedSize modelSize, R result) throws ImageFailure;

  /**
   * The rows of an image that failed; {@code image} is null where it did not decode.
   *
   * @param error {@code kind: message}, one line
   */
  List<Row> errorRows(InputImage input, RgbImage image, String error);
}
