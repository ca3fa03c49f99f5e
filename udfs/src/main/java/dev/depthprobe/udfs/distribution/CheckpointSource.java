package dev.depthprobe.udfs.distribution;

/**
 * What both ways of getting a checkpoint to executors carry with the function: the content hash (the
 * model cache key) and the {@code model} column's label, so a task whose model is already cached reads
 * nothing else.
 */
abstract class CheckpointSource implements ModelSource {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String label;

  CheckpointSource(String key, String label) {
    this.key = key;
    this.label = label;
  }

  @Override
  public final String key() {
    return key;
  }

  @Override
  public final String label() {
    return label;
  }
}
