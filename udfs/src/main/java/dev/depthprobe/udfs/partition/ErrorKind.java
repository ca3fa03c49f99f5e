package dev.depthprobe.udfs.partition;

import dev.depthprobe.errors.Messages;
import java.util.Locale;

/** The step of the partition skeleton where an image failed: the {@code kind} of its error row's {@code kind: message}. */
public enum ErrorKind {
  /** The bytes are not an image the loader accepts (or declare too many pixels). */
  DECODE,
  /** The model's processor refuses the decoded image (e.g. smaller than GLPN's size divisor). */
  PREPROCESS,
  /** The forward pass failed on this image alone (its batch is retried image by image first). */
  MODEL,
  /** The depth job could not write the image's PNGs. */
  PNG,
  /**
   * The image needed more than the task had: memory (an {@code OutOfMemoryError}, from the Java heap or
   * JavaCPP's native limit) or stack. The last line of defence: what the image held is dropped and the task
   * goes on.
   */
  RESOURCE;

  /** The kind as error rows and the summary name it: {@code decode}, {@code preprocess}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code kind: message}, the message on one line. */
  public String error(Throwable e) {
    return label() + ": " + Messages.oneLine(e);
  }
}
