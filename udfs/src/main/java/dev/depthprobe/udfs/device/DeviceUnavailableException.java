package dev.depthprobe.udfs.device;

/** The requested device cannot be used here; the message is one line saying why. */
public final class DeviceUnavailableException extends RuntimeException {
  public DeviceUnavailableException(String message) {
    super(message);
  }
}
