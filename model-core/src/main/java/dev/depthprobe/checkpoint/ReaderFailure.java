package dev.depthprobe.checkpoint;

/**
 * Turns an unexpected failure inside a weight reader (a RuntimeException a check missed, a
 * StackOverflowError, an OutOfMemoryError) into the file's one-line {@link CheckpointException}, so that a
 * hostile file is a user's error (exit code 2), never a stack trace.
 */
final class ReaderFailure {
  private ReaderFailure() {}

  static CheckpointException of(String where, String what, Throwable e) {
    String detail = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
    if (detail.length() > 200) {
      detail = detail.substring(0, 200) + "...";
    }
    return new CheckpointException(where + ": " + what + " (" + e.getClass().getSimpleName() + detail + ")", e);
  }
}
