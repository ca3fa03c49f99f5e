package dev.depthprobe.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes float32 tensors in the safetensors format (the layout {@link SafetensorsReader} reads). */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsWriter() {}

  public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(out, tensors);
    }
  }

  public static byte[] toBytes(Map<String, Tensor> tensors) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, tensors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static void write(OutputStream out, Map<String, Tensor> tensors) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    long offset = 0;
    for (Tensor t : tensors.values()) {
      ObjectNode entry = header.putObject(t.name());
      entry.put("dtype", "F32");
      var shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      long bytes = t.size() * 4;
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] headerBytes = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int pad = (8 - headerBytes.length % 8) % 8;
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length + pad);
    out.write(len.array());
    out.write(headerBytes);
    out.write(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (Tensor t : tensors.values()) {
      var data = t.data().duplicate();
      while (data.hasRemaining()) {
        while (data.hasRemaining() && chunk.remaining() >= 4) {
          chunk.putFloat(data.get());
        }
        out.write(chunk.array(), 0, chunk.position());
        chunk.clear();
      }
    }
  }
}
