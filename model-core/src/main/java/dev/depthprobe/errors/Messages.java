package dev.depthprobe.errors;

/** How depthprobe shows a failure: one line, for error rows and for the command line. */
public final class Messages {
  private Messages() {}

  /** The first line of the exception's message, or its class's simple name where it has none. */
  public static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(e.getClass().getSimpleName());
  }
}
