package dev.depthprobe.udfs.distribution;

/**
 * What both ways of getting a checkpoint to executors carry with the function: the content hash (the
 * model cache key), the {@code model} column's label and the weights' size (what the model cache counts),
 * so a task whose model is already cached reads nothing else.
 */
abstract class CheckpointSource implements ModelSource {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String label;
  private final long weightBytes;

  CheckpointSource(String key, String label, long weightBytes) {
    this.key = key;
    this.label = label;
    this.weightBytes = weightBytes;
  }

  @Override
  public final String key() {
    return key;
  }

  @Override
  public final String label() {
    return label;
  }

  @Override
  public final long weightBytes() {
    return weightBytes;
  }
}
