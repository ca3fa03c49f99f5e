package dev.depthprobe.jobs;

/** A mistake in what the user asked for (a path, a value); reported as one line, exit code 2. */
public final class UserException extends RuntimeException {
  public UserException(String message) {
    super(message);
  }
}
