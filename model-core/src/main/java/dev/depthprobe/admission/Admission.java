package dev.depthprobe.admission;

/** The decision on one image: admitted, or refused with a one-line message for its error row of kind {@link #KIND}. */
public record Admission(boolean admitted, String message) {
  /** The error kind of a refused image's row. */
  public static final String KIND = "resource";
  public static final Admission ADMITTED = new Admission(true, "");

  static Admission refused(String message) {
    return new Admission(false, message);
  }

  /** The row's {@code error} value, "resource: message". */
  public String error() {
    if (admitted) {
      throw new IllegalStateException("an admitted image has no error");
    }
    return KIND + ": " + message;
  }
}
