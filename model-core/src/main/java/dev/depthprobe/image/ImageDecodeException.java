package dev.depthprobe.image;

/**
 * An image that cannot be decoded: empty, truncated, corrupt, in an unsupported format or above
 * the pixel limit. The message names the input and the reason, in one line.
 */
public final class ImageDecodeException extends RuntimeException {
  public ImageDecodeException(String message) {
    super(message);
  }

  public ImageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
