package dev.depthprobe.image;

/**
 * A JPEG's scans, counted by walking its markers without decoding anything, and the whole-image buffer of DCT
 * coefficients libjpeg holds outside the Java heap while it decodes a file of several scans.
 *
 * <p>Every progressive scan passes over every block of its components, however few bytes it holds: a file of a
 * few hundred kilobytes can hold thousands of scans of a large image and decode for hours (libjpeg-turbo's
 * LJT-01-003; Pillow and the JDK's decoder have no limit). libjpeg's own progressive script writes 10 scans
 * (6 for greyscale), so {@link #MAX_SCANS} refuses only such files.
 *
 * @param scans the start-of-scan markers of the first image, up to its end marker (0 when the file is no JPEG)
 * @param coefficientBufferBytes what libjpeg allocates for the coefficients when there is more than one scan
 *     (a progressive or a non-interleaved file): 64 two-byte coefficients per block of every component, the
 *     blocks padded to whole MCUs; 0 for one scan, which decodes as it streams
 */
public record JpegScans(int scans, long coefficientBufferBytes) {
  /** The most scans a JPEG may hold, as NVIDIA DALI's default limit (libjpeg-turbo's advice for LJT-01-003). */
  public static final int MAX_SCANS = 500;

  private static final JpegScans NONE = new JpegScans(0, 0);
  private static final long BYTES_PER_BLOCK = 64 * 2;

  public static boolean isJpeg(byte[] bytes) {
    return bytes.length > 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8;
  }

  /** The scans of {@code bytes}, as far as its markers can be read (a corrupt tail ends the walk; decoding names it). */
  public static JpegScans of(byte[] bytes) {
    if (!isJpeg(bytes)) {
      return NONE;
    }
    int scans = 0;
    long bufferBytes = 0;
    int i = 2;
    while (i + 1 < bytes.length && (bytes[i] & 0xff) == 0xff) {
      int marker = bytes[i + 1] & 0xff;
      if (marker == 0xff) { // a fill byte before the marker
        i++;
        continue;
      }
      i += 2;
      if (marker == 0xd9) { // EOI: the first image ends (an MPO's later frames are not decoded)
        break;
      }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { // TEM, RSTn: no length
        continue;
      }
      if (i + 1 >= bytes.length) {
        break;
      }
      int length = (bytes[i] & 0xff) << 8 | (bytes[i + 1] & 0xff);
      if (length < 2) {
        break;
      }
      int end = i + length;
      if (isStartOfFrame(marker)) {
        bufferBytes = coefficientBytes(bytes, i + 2, Math.min(end, bytes.length));
      }
      if (marker == 0xda) { // SOS: its header, then entropy-coded data up to the next marker
        scans++;
        i = nextMarker(bytes, end);
      } else {
        i = end;
      }
    }
    return new JpegScans(scans, scans > 1 ? bufferBytes : 0);
  }

  /** Whether the file holds more scans than {@link #MAX_SCANS}. */
  public boolean tooMany() {
    return scans > MAX_SCANS;
  }

  /** One line for an error: the count, the limit and why. */
  public String refusal() {
    return "too many scans: " + scans + " exceed the limit of " + MAX_SCANS
        + ", each a pass over the whole image (possible decompression bomb)";
  }

  /** SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC). */
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
  }

  /** SOF: precision, height, width, components, then (id, sampling factors H<<4|V, table) per component. */
  private static long coefficientBytes(byte[] bytes, int from, int end) {
    if (from + 6 > end) {
      return 0;
    }
    long height = (bytes[from + 1] & 0xff) << 8 | (bytes[from + 2] & 0xff);
    long width = (bytes[from + 3] & 0xff) << 8 | (bytes[from + 4] & 0xff);
    int components = Math.min(bytes[from + 5] & 0xff, (end - from - 6) / 3);
    int maxH = 1;
    int maxV = 1;
    for (int c = 0; c < components; c++) {
      int sampling = bytes[from + 7 + 3 * c] & 0xff;
      maxH = Math.max(maxH, sampling >> 4);
      maxV = Math.max(maxV, sampling & 0xf);
    }
    long mcuColumns = ceilDiv(width, 8L * maxH);
    long mcuRows = ceilDiv(height, 8L * maxV);
    long blocks = 0;
    for (int c = 0; c < components; c++) {
      int sampling = bytes[from + 7 + 3 * c] & 0xff;
      blocks += mcuColumns * Math.max(1, sampling >> 4) * mcuRows * Math.max(1, sampling & 0xf);
    }
    return blocks * BYTES_PER_BLOCK;
  }

  /** The offset of the marker after entropy-coded data: 0xFF not followed by a stuffed 0x00 or a restart marker. */
  private static int nextMarker(byte[] bytes, int from) {
    int j = from;
    while (j + 1 < bytes.length) {
      if ((bytes[j] & 0xff) != 0xff) {
        j++;
        continue;
      }
      int next = bytes[j + 1] & 0xff;
      if (next == 0xff) { // fill: the marker starts at the last 0xFF
        j++;
      } else if (next == 0x00 || (next >= 0xd0 && next <= 0xd7)) {
        j += 2;
      } else {
        return j;
      }
    }
    return bytes.length;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
