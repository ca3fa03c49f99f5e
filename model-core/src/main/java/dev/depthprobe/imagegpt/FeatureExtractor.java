package dev.depthprobe.imagegpt;

import dev.depthprobe.admission.CostModel;
import dev.depthprobe.admission.ImageGptCostModel;
import dev.depthprobe.admission.Throughput;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.checkpoint.CheckpointException;
import dev.depthprobe.image.RgbImage;
import dev.depthprobe.model.FeatureModel;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images to linear-probe features for the CLI and the Spark jobs: ImageGPTImageProcessor, then
 * ImageGPTModel stopped at the deepest probed layer. Thread-safe; one batch per {@link #extract} call.
 */
public final class FeatureExtractor implements FeatureModel {
  private final ImageGptImageProcessor processor;
  private final ImageGptModel model;

  public FeatureExtractor(ImageGptImageProcessor processor, ImageGptModel model) {
    ImageGptConfig config = model.config();
    if (processor.numClusters() > config.sosId()) {
      throw new CheckpointException(processor.numClusters() + " colour clusters do not fit vocab_size "
          + config.vocabSize() + " (the last id is the SOS token)");
    }
    if (processor.sequenceLength() > config.nPositions()) {
      throw new CheckpointException("the processor's " + processor.sequenceLength()
          + " pixels exceed n_positions " + config.nPositions());
    }
    this.processor = processor;
    this.model = model;
  }

  /** The model and the processor of one checkpoint folder. */
  public static FeatureExtractor load(Checkpoint checkpoint) {
    return new FeatureExtractor(ImageGptImageProcessor.fromConfig(checkpoint.preprocessorConfig()),
        ImageGptModel.load(checkpoint));
  }

  /** The full forward pass's cost (a probe that stops earlier costs less): an upper bound for any layer spec. */
  @Override
  public CostModel costModel() {
    int[] input = processor.processedSize(1, 1);
    return new ImageGptCostModel(model.config(), input[0], input[1], model.config().nLayer(), Throughput.CALIBRATED);
  }

  public ImageGptModel model() {
    return model;
  }

  /** transformers' {@code input_ids} of one image (no SOS). */
  public long[] inputIds(RgbImage image) {
    return processor.inputIds(image);
  }

  /** Every image becomes the processor's {@code size}: any images can share a batch. */
  @Override
  public int[] processedSize(int height, int width) {
    return processor.processedSize(height, width);
  }

  /** Features [image][index in spec.layers()][n_embd] of one batch, in the order of {@code images}. */
  @Override
  public float[][][] extract(List<RgbImage> images, FeatureSpec spec) {
    if (images.isEmpty()) {
      return new float[0][][];
    }
    long[][] ids = new long[images.size()][];
    for (int n = 0; n < ids.length; n++) {
      ids[n] = processor.inputIds(images.get(n));
    }
    INDArray inputIds = Nd4j.createFromArray(ids); // (batch, seq)
    return model.features(inputIds, spec);
  }

  @Override
  public void close() {
    model.close();
  }
}
