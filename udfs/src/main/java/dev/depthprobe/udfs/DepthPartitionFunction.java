package dev.depthprobe.udfs;

import dev.depthprobe.image.KbCrop;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.model.DepthMap;
import dev.depthprobe.model.DepthModel;
import dev.depthprobe.model.ModelRegistry;
import dev.depthprobe.udfs.device.Device;
import dev.depthprobe.udfs.distribution.ModelSource;
import dev.depthprobe.udfs.partition.ErrorKind;
import dev.depthprobe.udfs.partition.ImageFailure;
import dev.depthprobe.udfs.partition.ImageJob;
import dev.depthprobe.udfs.partition.InputImage;
import dev.depthprobe.udfs.partition.PartitionSkeleton;
import dev.depthprobe.udfs.partition.ProcessedSize;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * Depth on executors, on the {@link PartitionSkeleton}: one output row ({@link DepthRows#SCHEMA}) per
 * input row of the input schema, in any order, from the depth model of the checkpoint's
 * {@code model_type}; optionally each image's PNGs ({@code png} error kind where they cannot be written).
 */
public final class DepthPartitionFunction {
  private DepthPartitionFunction() {}

  /**
   * @param pngFiles where executors write each image's PNGs, or {@code null} for none
   */
  public static MapPartitionsFunction<Row, Row> depthRows(ModelSource model, DepthTaskSettings settings,
      DepthPngFiles pngFiles, ImageCounters counters) {
    return depthRows(model, settings, pngFiles, counters, settings.device() == Device.GPU);
  }

  /** {@link #depthRows}, with the device's batch queue or without it; tests take the queue on the CPU. */
  static MapPartitionsFunction<Row, Row> depthRows(ModelSource model, DepthTaskSettings settings,
      DepthPngFiles pngFiles, ImageCounters counters, boolean batchQueue) {
    return PartitionSkeleton.rows(model, job(model, settings, pngFiles), settings.task(), counters, batchQueue);
  }

  /** Builds the model of {@link #depthRows} in this JVM ahead of its tasks ({@link PartitionSkeleton#buildAhead}). */
  public static void buildAhead(ModelSource model, DepthTaskSettings settings, ImageCounters counters) {
    PartitionSkeleton.buildAhead(model, job(model, settings, null), settings.device(), counters);
  }

  private static DepthJob job(ModelSource model, DepthTaskSettings settings, DepthPngFiles pngFiles) {
    return new DepthJob(settings.originalSize(), settings.kbCrop(), settings.maxModelPixels(), model.label(), pngFiles);
  }

  /** The depth job's part: the depth model, and a depth map (and its PNGs) as a row. */
  private record DepthJob(boolean originalSize, boolean kbCrop, long maxModelPixels, String label,
      DepthPngFiles pngFiles)
      implements ImageJob<DepthModel, DepthMap> {

    @Override
    public DepthModel build(ModelSource source) {
      return ModelRegistry.depth(source.config()).build(source.config(), source.preprocessorConfig(), source.weights());
    }

    @Override
    public DepthModel forTask(DepthModel built) {
      return maxModelPixels > 0 ? built.withMaxModelPixels(maxModelPixels) : built;
    }

    @Override
    public RgbImage modelInput(RgbImage image) {
      return kbCrop ? KbCrop.apply(image) : image;
    }

    @Override
    public List<DepthMap> run(DepthModel model, List<RgbImage> images) {
      return model.estimate(images, originalSize);
    }

    @Override
    public String resultKey() {
      return originalSize + (kbCrop ? ",kb-crop" : "") + (maxModelPixels > 0 ? ",max-model-pixels=" + maxModelPixels : "");
    }

    @Override
    public boolean inputOrder() {
      return false;
    }

    @Override
    public List<Row> rows(InputImage input, RgbImage image, ProcessedSize modelSize, DepthMap depth)
        throws ImageFailure {
      String pngName = null;
      if (pngFiles != null) {
        try {
          pngName = pngFiles.write(input.imageId(), depth.metres(), depth.height(), depth.width());
        } catch (Exception e) {
          throw new ImageFailure(ErrorKind.PNG, e);
        }
      }
      return List.of(DepthRows.ok(input.imageId(), input.source(), image.width(), image.height(), depth.metres(),
          depth.height(), depth.width(), modelSize.height(), modelSize.width(), label, kbCrop, pngName));
    }

    @Override
    public List<Row> errorRows(InputImage input, RgbImage image, String error) {
      return List.of(DepthRows.error(input.imageId(), input.source(), image == null ? null : image.width(),
          image == null ? null : image.height(), label, kbCrop, error));
    }
  }
}
