package dev.depthprobe.udfs.partition;

/** Thrown by a job's {@link ImageJob#rows} when turning a model result into rows fails: the image becomes an error row of {@link #kind()}. */
public final class ImageFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final ErrorKind kind;

  public ImageFailure(ErrorKind kind, Throwable cause) {
    super(cause.getMessage(), cause);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }
}
