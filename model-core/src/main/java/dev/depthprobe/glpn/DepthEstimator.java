package dev.depthprobe.glpn;

import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.depthprobe.admission.CostModel;
import dev.depthprobe.admission.GlpnCostModel;
import dev.depthprobe.admission.Throughput;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.compute.JavaFloats;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.model.DepthMap;
import dev.depthprobe.model.DepthModel;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Depth for RGB images, as transformers' pipeline computes it: GLPN image processor, model, and
 * optionally the bicubic resize back to each image's size. Thread-safe; shared by the CLI and Spark.
 */
public final class DepthEstimator implements DepthModel {
  private final GlpnImageProcessor processor;
  private final GlpnForDepthEstimation model;

  public DepthEstimator(GlpnImageProcessor processor, GlpnForDepthEstimation model) {
    this.processor = processor;
    this.model = model;
  }

  public static DepthEstimator load(Checkpoint checkpoint) {
    return new DepthEstimator(GlpnImageProcessor.fromConfig(checkpoint.preprocessorConfig()),
        GlpnForDepthEstimation.load(checkpoint));
  }

  /**
   * This estimator with a limit on the pixels the model sees (0: none): a larger image is first resized with
   * Pillow's filter to the largest size within it that keeps its aspect ratio, and its depth is resized back to
   * the image's size as usual. {@link #processedSize} gives the size the model saw.
   *
   * @throws IllegalArgumentException when the limit is below size_divisor squared
   */
  @Override
  public DepthEstimator withMaxModelPixels(long maxModelPixels) {
    return new DepthEstimator(processor.withMaxModelPixels(maxModelPixels), model);
  }

  @Override
  public CostModel costModel() {
    return new GlpnCostModel(model.config(), processor, Throughput.CALIBRATED);
  }

  public GlpnImageProcessor processor() {
    return processor;
  }

  public GlpnForDepthEstimation model() {
    return model;
  }

  @Override
  public double maxDepth() {
    return model.config().maxDepth();
  }

  /** {height, width} the model sees for an image of {@code height x width}. */
  @Override
  public int[] processedSize(int height, int width) {
    return processor.processedSize(height, width);
  }

  @Override
  public float[] pixelValues(RgbImage image) {
    return processor.pixelValues(image);
  }

  /**
   * One depth map per image, in order: at the processed size, or resized to the image's own size when
   * {@code originalSize} is set. Images sharing a processed size run as one batch (a list of mixed sizes
   * runs as one batch per size, for library callers; the Spark jobs hand it one size).
   */
  @Override
  public List<DepthMap> estimate(List<RgbImage> images, boolean originalSize) {
    Map<List<Integer>, List<Integer>> bySize = new LinkedHashMap<>();
    for (int i = 0; i < images.size(); i++) {
      int[] hw = processedSize(images.get(i).height(), images.get(i).width());
      bySize.computeIfAbsent(List.of(hw[0], hw[1]), k -> new ArrayList<>()).add(i);
    }
    DepthMap[] out = new DepthMap[images.size()];
    bySize.forEach((size, indices) -> {
      int h = size.get(0);
      int w = size.get(1);
      INDArray depth = model.predictDepth(pixelValues(images, indices, h, w)); // (n, h, w)
      for (int k = 0; k < indices.size(); k++) {
        RgbImage image = images.get(indices.get(k));
        float[] values = JavaFloats.copyOut(depth.get(point(k)));
        boolean resize = originalSize && (image.height() != h || image.width() != w);
        out[indices.get(k)] = resize
            ? new DepthMap(image.height(), image.width(),
                DepthPostProcessing.resizeBicubic(values, h, w, image.height(), image.width()))
            : new DepthMap(h, w, values);
      }
    });
    return List.of(out);
  }

  /**
   * pixel_values (n, 3, h, w) of the images at {@code indices}, which all preprocess to h x w, written straight
   * into the array's native memory a band of rows at a time.
   */
  public INDArray pixelValues(List<RgbImage> images, List<Integer> indices, int h, int w) {
    int plane = 3 * h * w;
    INDArray batch = Nd4j.createUninitialized(DataType.FLOAT, indices.size(), 3, h, w);
    FloatBuffer values = JavaFloats.view(batch);
    for (int k = 0; k < indices.size(); k++) {
      processor.pixelValues(images.get(indices.get(k)), values, k * plane);
    }
    return batch;
  }

  @Override
  public void close() {
    model.close();
  }
}
