package dev.depthprobe.checkpoint;

import static dev.depthprobe.checkpoint.Fixtures.assertFailsNaming;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsReaderTest {
  @TempDir
  Path tmp;

  /** One tensor per entry: {name, dtype, shape, little-endian bytes}. */
  private record Raw(String name, String dtype, long[] shape, byte[] data) {}

  private static Path write(Path file, Raw... tensors) throws IOException {
    StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Raw t : tensors) {
      header.append(",\"").append(t.name()).append("\":{\"dtype\":\"").append(t.dtype())
          .append("\",\"shape\":").append(Arrays.toString(t.shape()).replace(" ", ""))
          .append(",\"data_offsets\":[").append(data.size()).append(',').append(data.size() + t.data().length)
          .append("]}");
      data.write(t.data());
    }
    byte[] h = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(h.length).put(h).put(data.toByteArray());
    Files.write(file, out.array());
    return file;
  }

  /** Safetensors' byte order. */
  private static byte[] le(int width, long... values) {
    return Fixtures.integers(ByteOrder.LITTLE_ENDIAN, width, values);
  }

  private static byte[] f64(double... values) {
    return Fixtures.doubles(ByteOrder.LITTLE_ENDIAN, values);
  }

  /** Reading {@code file}, and checking it without its tensors' data, refuse it alike in one line naming it. */
  private static void assertReadAndCheckRefuse(Path file, String... fragments) {
    String read = assertFailsNaming(() -> SafetensorsReader.read(file), fragments).getMessage();
    assertEquals(read, assertFailsNaming(() -> SafetensorsReader.check(file), fragments).getMessage());
  }

  @Test
  void halfBfloat16DoubleAndIntegerTensorsWidenToFloat32() throws IOException {
    Path file = write(tmp.resolve("mixed.safetensors"),
        new Raw("half", "F16", new long[] {2, 3}, le(2, 0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x3555)),
        new Raw("bf16", "BF16", new long[] {3}, le(2, 0x3f80, 0xc000, 0x4049)),
        new Raw("double", "F64", new long[] {2}, f64(0.1, -1e40)),
        new Raw("long", "I64", new long[] {}, le(8, 12345)),
        new Raw("int", "I32", new long[] {2}, le(4, -7, 1 << 24)));

    Map<String, Tensor> t = SafetensorsReader.read(file);

    assertArrayEquals(new long[] {2, 3}, t.get("half").shape());
    assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, -0f, 0.333251953125f}, t.get("half").toArray());
    assertArrayEquals(new float[] {1f, -2f, 3.140625f}, t.get("bf16").toArray());
    assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY}, t.get("double").toArray());
    assertArrayEquals(new long[] {}, t.get("long").shape());
    assertArrayEquals(new float[] {12345f}, t.get("long").toArray());
    assertArrayEquals(new float[] {-7f, 16777216f}, t.get("int").toArray());
  }

  @Test
  void float32TensorsOfTheFixtureReadWithTheirShapes() {
    Map<String, Tensor> t = SafetensorsReader.read(Fixtures.checkpointDir("imagegpt-tiny", "model")
        .resolve("model.safetensors"));

    assertEquals(44, t.size());
    assertArrayEquals(new long[] {513, 32}, t.get("transformer.wte.weight").shape());
    assertArrayEquals(new long[] {64, 32}, t.get("transformer.wpe.weight").shape());
    assertTrue(t.get("transformer.wte.weight").data().isDirect(), "F32 data stays memory-mapped");
  }

  @Test
  void checkingWithoutTheDataGivesTheShapesReadingGives() {
    Path file = Fixtures.checkpointDir("glpn-tiny", "model").resolve("model.safetensors");

    Map<String, long[]> shapes = SafetensorsReader.check(file);

    assertEquals(188, shapes.size());
    SafetensorsReader.read(file).forEach((name, tensor) -> assertArrayEquals(tensor.shape(), shapes.get(name), name));
  }

  @Test
  void bytesInMemoryReadLikeTheFileTheyCameFrom() {
    Map<String, Tensor> fromFile = SafetensorsReader.read(Fixtures.checkpointDir("glpn-tiny", "model")
        .resolve("model.safetensors"));
    byte[] bytes = SafetensorsWriter.toBytes(fromFile);
    byte[] padded = new byte[bytes.length + 5];
    System.arraycopy(bytes, 0, padded, 3, bytes.length);

    Map<String, Tensor> fromMemory = SafetensorsReader.read(ByteBuffer.wrap(padded, 3, bytes.length), "broadcast");

    Fixtures.assertSameTensors(fromFile, fromMemory);
  }

  @Test
  void truncatedBytesInMemoryAreReportedUnderTheirName() {
    byte[] bytes = SafetensorsWriter.toBytes(SafetensorsReader.read(Fixtures.checkpointDir("imagegpt-tiny", "model")
        .resolve("model.safetensors")));
    assertFailsNaming(() -> SafetensorsReader.read(ByteBuffer.wrap(bytes, 0, bytes.length - 4), "broadcast of x"),
        "broadcast of x", "past the end of the file");
  }

  @Test
  void fileTooShortForAHeaderIsReportedAsTruncated() throws IOException {
    Path file = Files.write(tmp.resolve("short.safetensors"), new byte[] {1, 2, 3});
    assertReadAndCheckRefuse(file, file.toString(), "truncated safetensors file");
  }

  @Test
  void headerLongerThanTheFileIsReportedAsTruncated() throws IOException {
    Path whole = write(tmp.resolve("whole.safetensors"), new Raw("x", "F32", new long[] {1}, le(4, 0)));
    byte[] bytes = Files.readAllBytes(whole);
    Path file = Files.write(tmp.resolve("cut.safetensors"), Arrays.copyOf(bytes, 20));
    assertReadAndCheckRefuse(file, file.toString(),
        "truncated or corrupt safetensors header", "file has 20");
  }

  @Test
  void headerThatIsNotJsonIsReportedAsCorrupt() throws IOException {
    byte[] h = "{\"x\": [oops".getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h);
    Path file = Files.write(tmp.resolve("bad.safetensors"), b.array());
    assertReadAndCheckRefuse(file, file.toString(), "corrupt safetensors header (not JSON");
  }

  @Test
  void dataOffsetPastTheEndOfTheFileIsReported() throws IOException {
    Path whole = write(tmp.resolve("whole.safetensors"),
        new Raw("a", "F32", new long[] {2}, le(4, 1, 2)), new Raw("b", "F32", new long[] {4}, le(4, 1, 2, 3, 4)));
    byte[] bytes = Files.readAllBytes(whole);
    Path file = Files.write(tmp.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 5));
    assertReadAndCheckRefuse(file, file.toString(), "tensor 'b'", "past the end of the file",
        "truncated");
  }

  @Test
  void unknownDtypeIsNamed() throws IOException {
    Path file = write(tmp.resolve("u8.safetensors"), new Raw("mask", "U8", new long[] {4}, new byte[4]));
    assertReadAndCheckRefuse(file, file.toString(), "tensor 'mask'", "unsupported dtype U8");
  }

  @Test
  void byteCountThatDisagreesWithShapeIsReported() throws IOException {
    Path file = write(tmp.resolve("short.safetensors"), new Raw("w", "F32", new long[] {2, 2}, le(4, 1, 2, 3)));
    assertReadAndCheckRefuse(file, file.toString(), "tensor 'w' holds 12 bytes",
        "F32 [2, 2] needs 16");
  }

  /** A file of {@code header} (JSON, as given) followed by {@code data}. */
  private Path raw(String name, String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(h.length).put(h).put(data);
    return Files.write(tmp.resolve(name), out.array());
  }

  static Stream<Arguments> hostileHeaders() {
    return Stream.of(
        Arguments.of("a shape whose byte size overflows",
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}", 0,
            List.of("tensor 'w'", "shape [4611686018427387904], whose size does not fit in 64 bits")),
        Arguments.of("negative dimensions", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,-4],\"data_offsets\":[0,16]}}",
            16, List.of("tensor 'w'", "dimensions must be non-negative integers")),
        Arguments.of("a fractional dimension", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
            4, List.of("tensor 'w'", "dimensions must be non-negative integers")),
        Arguments.of("a negative offset", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4,
            List.of("data_offsets [-4,0]")),
        Arguments.of("offsets near 2^63, which must not wrap around", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":[9223372036854775800,9223372036854775804]}}", 4,
            List.of("tensor 'w'", "past the end of the file")),
        Arguments.of("overlapping data ranges", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12,
            List.of("tensors 'a' and 'b' have overlapping data ranges [0, 8] and [4, 12]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileHeaders")
  void aHostileHeaderIsRefusedInOneLineNamingTheFile(String what, String header, int dataBytes, List<String> fragments)
      throws IOException {
    Path file = raw("hostile.safetensors", header, new byte[dataBytes]);
    List<String> expected = new ArrayList<>(fragments);
    expected.add(0, file.toString());
    assertReadAndCheckRefuse(file, expected.toArray(String[]::new));
  }

  @Test
  void aHeaderLengthOfTwoToThe62IsRefusedBeforeAllocating() throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62);
    Path file = Files.write(tmp.resolve("header.safetensors"), bytes.array());
    assertReadAndCheckRefuse(file, file.toString(),
        "declared header length 4611686018427387904 bytes");
  }

  @Test
  void adjacentAndEmptyTensorsAreNotOverlaps() throws IOException {
    Path file = raw("adjacent.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]);
    assertEquals(3, SafetensorsReader.read(file).size());
  }
}
