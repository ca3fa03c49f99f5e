package dev.depthprobe.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG files put together chunk by chunk, for tests that need one no encoder writes (a bomb chunk, a header
 * without pixels, an image too large to hold): each chunk is its data's length, its type, the data and the
 * CRC-32 of type and data. Shared with other modules' tests through model-core's test jar.
 */
public final class PngBytes {
  /** The eight bytes every PNG starts with. */
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  /** Where IHDR, the first chunk, ends: the signature, then 4 + 4 + 13 + 4 bytes. */
  private static final int HEADER_END = 33;

  private PngBytes() {}

  /** The signature and the IHDR chunk of an 8-bit RGB image (colour type 2), not interlaced. */
  public static void writeRgbHeader(DataOutputStream out, int width, int height) throws IOException {
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream header = new DataOutputStream(ihdr);
    header.writeInt(width);
    header.writeInt(height);
    header.write(new byte[] {8, 2, 0, 0, 0});
    out.write(SIGNATURE);
    writeChunk(out, "IHDR", ihdr.toByteArray());
  }

  /** One chunk: the data's length, the type, the data, the CRC-32 of type and data. */
  public static void writeChunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeInt(data.length);
    out.write(name);
    out.write(data);
    out.writeInt((int) crc.getValue());
  }

  /** {@code png} with a chunk inserted right after IHDR. */
  public static byte[] withChunkAfterHeader(byte[] png, String type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, HEADER_END);
    try {
      writeChunk(new DataOutputStream(out), type, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write(png, HEADER_END, png.length - HEADER_END);
    return out.toByteArray();
  }

  /** A zlib stream of {@code count} zero bytes, deflated as they stream in (about 1 KB per MB): a bomb's text. */
  public static byte[] deflatedZeros(long count) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    byte[] block = new byte[1 << 20];
    byte[] buffer = new byte[1 << 16];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long left = count; left > 0; left -= block.length) {
      deflater.setInput(block, 0, (int) Math.min(block.length, left));
      while (!deflater.needsInput()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }
}
