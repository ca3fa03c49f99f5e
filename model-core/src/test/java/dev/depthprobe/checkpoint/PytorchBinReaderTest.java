package dev.depthprobe.checkpoint;

import static dev.depthprobe.checkpoint.Fixtures.assertFailsNaming;
import static dev.depthprobe.checkpoint.Fixtures.doubles;
import static dev.depthprobe.checkpoint.Fixtures.integers;
import static dev.depthprobe.checkpoint.TorchArchive.float32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PytorchBinReaderTest {
  @TempDir
  Path tmp;

  private static final float[] IOTA_24 = new float[24];

  static {
    for (int i = 0; i < IOTA_24.length; i++) {
      IOTA_24[i] = i;
    }
  }

  private static long[] dims(long... d) {
    return d;
  }

  /** Reading {@code file}, and checking it without its tensors' data, refuse it alike in one line naming it. */
  private static void assertReadAndCheckRefuse(Path file, String... fragments) {
    String read = assertFailsNaming(() -> PytorchBinReader.read(file), fragments).getMessage();
    assertEquals(read, assertFailsNaming(() -> PytorchBinReader.check(file), fragments).getMessage());
  }

  @ParameterizedTest
  @CsvSource({"glpn-tiny, 188", "imagegpt-tiny, 44"})
  void pytorchBinAndSafetensorsLoadIdenticalFloat32Tensors(String model, int tensorCount) {
    Map<String, Tensor> fromBin = PytorchBinReader.read(Fixtures.checkpointDir(model, "model-bin")
        .resolve("pytorch_model.bin"));
    Map<String, Tensor> fromSafetensors = SafetensorsReader.read(Fixtures.checkpointDir(model, "model")
        .resolve("model.safetensors"));

    assertEquals(tensorCount, fromBin.size());
    Fixtures.assertSameTensors(fromSafetensors, fromBin);
  }

  @ParameterizedTest
  @CsvSource({"glpn-tiny, 188", "imagegpt-tiny, 44"})
  void checkingWithoutTheDataGivesTheShapesReadingGives(String model, int tensorCount) {
    Path file = Fixtures.checkpointDir(model, "model-bin").resolve("pytorch_model.bin");

    Map<String, long[]> shapes = PytorchBinReader.check(file);

    assertEquals(tensorCount, shapes.size());
    PytorchBinReader.read(file).forEach((name, tensor) -> assertArrayEquals(tensor.shape(), shapes.get(name), name));
  }

  @Test
  void batchNormStepCounterLoadsAsAnInt64Scalar() {
    Map<String, Tensor> t = PytorchBinReader.read(Fixtures.checkpointDir("glpn-tiny", "model-bin")
        .resolve("pytorch_model.bin"));
    Tensor counter = t.get("decoder.stages.1.fusion.convolutional_layer1.1.num_batches_tracked");

    assertArrayEquals(new long[] {}, counter.shape());
    assertEquals(1, counter.size());
    assertArrayEquals(SafetensorsReader.read(Fixtures.checkpointDir("glpn-tiny", "model")
        .resolve("model.safetensors")).get(counter.name()).toArray(), counter.toArray());
  }

  @Test
  void everyStorageTypeWidensToFloat32() throws IOException {
    ByteOrder le = ByteOrder.LITTLE_ENDIAN;
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive()
        .storage("0", float32(le, 1.5f, -2.25f)).tensor("f32", "FloatStorage", "0", 2, 0, dims(2), dims(1))
        .storage("1", integers(le, 2, 0x3c00, 0x0001, 0xfc00)).tensor("f16", "HalfStorage", "1", 3, 0, dims(3), dims(1))
        .storage("2", integers(le, 2, 0x3f80, 0x4049)).tensor("bf16", "BFloat16Storage", "2", 2, 0, dims(2), dims(1))
        .storage("3", doubles(le, 0.1, -3.0)).tensor("f64", "DoubleStorage", "3", 2, 0, dims(2), dims(1))
        .storage("4", integers(le, 8, 4242)).tensor("steps", "LongStorage", "4", 1, 0, dims(), dims())
        .storage("5", integers(le, 4, -9, 70000)).tensor("i32", "IntStorage", "5", 2, 0, dims(2), dims(1))
        .write(file);

    Map<String, Tensor> t = PytorchBinReader.read(file);

    assertEquals(List.of("f32", "f16", "bf16", "f64", "steps", "i32"), List.copyOf(t.keySet()));
    assertArrayEquals(new float[] {1.5f, -2.25f}, t.get("f32").toArray());
    assertArrayEquals(new float[] {1f, 0x1p-24f, Float.NEGATIVE_INFINITY}, t.get("f16").toArray());
    assertArrayEquals(new float[] {1f, 3.140625f}, t.get("bf16").toArray());
    assertArrayEquals(new float[] {0.1f, -3f}, t.get("f64").toArray());
    assertArrayEquals(new long[] {}, t.get("steps").shape());
    assertArrayEquals(new float[] {4242f}, t.get("steps").toArray());
    assertArrayEquals(new float[] {-9f, 70000f}, t.get("i32").toArray());
  }

  @Test
  void storageOffsetsAndStridesMaterialiseInCOrder() throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive()
        .storage("0", float32(ByteOrder.LITTLE_ENDIAN, IOTA_24))
        .tensor("matrix", "FloatStorage", "0", 24, 0, dims(3, 4), dims(4, 1))
        .tensor("transposed", "FloatStorage", "0", 24, 0, dims(4, 3), dims(1, 4))
        .tensor("tail", "FloatStorage", "0", 24, 12, dims(2, 3), dims(3, 1))
        .tensor("every_other", "FloatStorage", "0", 24, 1, dims(2, 2), dims(8, 2))
        .tensor("column", "FloatStorage", "0", 24, 3, dims(3, 1), dims(4, 99))
        .write(file);

    Map<String, Tensor> t = PytorchBinReader.read(file);

    assertArrayEquals(Arrays.copyOf(IOTA_24, 12), t.get("matrix").toArray());
    assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, t.get("transposed").toArray());
    assertArrayEquals(new long[] {4, 3}, t.get("transposed").shape());
    assertArrayEquals(new float[] {12, 13, 14, 15, 16, 17}, t.get("tail").toArray());
    assertArrayEquals(new float[] {1, 3, 9, 11}, t.get("every_other").toArray());
    assertArrayEquals(new float[] {3, 7, 11}, t.get("column").toArray());
  }

  @Test
  void bigEndianArchivesAreByteSwapped() throws IOException {
    ByteOrder be = ByteOrder.BIG_ENDIAN;
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive().byteOrder("big")
        .storage("0", float32(be, 1.5f, -2.25f, 1e-30f)).tensor("f32", "FloatStorage", "0", 3, 1, dims(2), dims(1))
        .storage("1", integers(be, 2, 0x3c00, 0x7bff)).tensor("f16", "HalfStorage", "1", 2, 0, dims(2), dims(1))
        .storage("2", integers(be, 8, -5)).tensor("i64", "LongStorage", "2", 1, 0, dims(), dims())
        .write(file);

    Map<String, Tensor> t = PytorchBinReader.read(file);

    assertArrayEquals(new float[] {-2.25f, 1e-30f}, t.get("f32").toArray());
    assertArrayEquals(new float[] {1f, 65504f}, t.get("f16").toArray());
    assertArrayEquals(new float[] {-5f}, t.get("i64").toArray());
  }

  @Test
  void parametersAndAnOrderedDictWithMetadataLoadLikePlainTensors() throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive().orderedDictWithMetadata()
        .storage("0", float32(ByteOrder.LITTLE_ENDIAN, 7f, 8f, 9f, 10f))
        .parameter("layer.weight", "FloatStorage", "0", 4, 0, dims(2, 2), dims(2, 1))
        .tensor("layer.bias", "FloatStorage", "0", 4, 2, dims(2), dims(1))
        .write(file);

    Map<String, Tensor> t = PytorchBinReader.read(file);

    assertEquals(List.of("layer.weight", "layer.bias"), List.copyOf(t.keySet()));
    assertArrayEquals(new float[] {7f, 8f, 9f, 10f}, t.get("layer.weight").toArray());
    assertArrayEquals(new float[] {9f, 10f}, t.get("layer.bias").toArray());
  }

  @Test
  void protocol4FramingMemoAndStackGlobalAreAccepted() throws IOException {
    byte[] frameLength = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0).array();
    PickleWriter p = new PickleWriter().proto(4).op(0x95).op(toInts(frameLength))
        .emptyDict().op(0x94).mark()
        .op(0x8c, 1, 'w')
        .op(0x8c, 12).op(toInts("torch._utils".getBytes())).op(0x8c, 18).op(toInts("_rebuild_tensor_v2".getBytes()))
        .op(0x93).op(0x94).mark()
        .mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(2).tuple().binpersid()
        .integer(0).ints(2).ints(1).newFalse().none().op(0x94).tuple().reduce()
        .setitems().stop();
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive().storage("0", float32(ByteOrder.LITTLE_ENDIAN, 3f, 4f)).write(file, p.bytes());

    assertArrayEquals(new float[] {3f, 4f}, PytorchBinReader.read(file).get("w").toArray());
  }

  private static int[] toInts(byte[] b) {
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xff;
    }
    return out;
  }

  private TorchArchive oneTensor() {
    return new TorchArchive().storage("0", float32(ByteOrder.LITTLE_ENDIAN, 1f, 2f))
        .tensor("w", "FloatStorage", "0", 2, 0, dims(2), dims(1));
  }

  @Test
  void globalsOutsideTheStateDictVocabularyAreRefused() throws IOException {
    byte[] evil = new PickleWriter().proto(2).global("os", "system").mark().str("touch /tmp/pwned").tuple()
        .reduce().stop().bytes();
    Path file = tmp.resolve("pytorch_model.bin");
    oneTensor().write(file, evil);

    assertReadAndCheckRefuse(file, file.toString(), "archive/data.pkl", "os.system",
        "refused");
  }

  @Test
  void unsupportedStorageTypeIsNamed() throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive().storage("0", new byte[4]).tensor("mask", "BoolStorage", "0", 4, 0, dims(4), dims(1))
        .write(file);

    assertReadAndCheckRefuse(file, file.toString(),
        "unsupported storage type torch.BoolStorage");
  }

  @Test
  void unsupportedOpcodeIsNamedWithItsPosition() throws IOException {
    byte[] pickle = new PickleWriter().proto(2).emptyDict().op('I').stop().bytes();
    Path file = tmp.resolve("pytorch_model.bin");
    oneTensor().write(file, pickle);

    assertReadAndCheckRefuse(file, file.toString(), "unsupported pickle opcode 'I' (0x49)",
        "at byte 3");
  }

  @Test
  void truncatedPickleIsReported() throws IOException {
    byte[] whole = oneTensor().pickle();
    Path file = tmp.resolve("pytorch_model.bin");
    oneTensor().write(file, Arrays.copyOf(whole, whole.length / 2));

    assertReadAndCheckRefuse(file, file.toString(), "archive/data.pkl", "truncated pickle");
  }

  @Test
  void pickleThatUnderflowsItsStackIsReportedAsCorrupt() throws IOException {
    byte[] pickle = new PickleWriter().proto(2).emptyDict().setitem().stop().bytes();
    Path file = tmp.resolve("pytorch_model.bin");
    oneTensor().write(file, pickle);

    assertReadAndCheckRefuse(file, file.toString(), "corrupt pickle", "at byte 3");
  }

  @Test
  void truncatedArchiveIsNotReadableAsZip() throws IOException {
    byte[] whole = Files.readAllBytes(Fixtures.checkpointDir("imagegpt-tiny", "model-bin").resolve("pytorch_model.bin"));
    Path file = Files.write(tmp.resolve("pytorch_model.bin"), Arrays.copyOf(whole, whole.length / 2));

    assertReadAndCheckRefuse(file, file.toString(), "not a zip archive", "truncated or corrupt");
  }

  @Test
  void legacyPickleFormatIsNamed() throws IOException {
    Path file = Files.write(tmp.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c});

    assertReadAndCheckRefuse(file, file.toString(), "legacy pre-1.6 torch.save format");
  }

  @Test
  void archiveWithoutDataPklIsReported() throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    TorchArchive.writeZip(file, Map.of("weights/readme.txt", new byte[] {1}));

    assertReadAndCheckRefuse(file, file.toString(), "without a data.pkl");
  }

  @Test
  void missingStorageEntryIsNamed() throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive().tensor("w", "FloatStorage", "7", 2, 0, dims(2), dims(1)).write(file);

    assertReadAndCheckRefuse(file, file.toString(), "storage entry 'archive/data/7' is missing");
  }

  @Test
  void storageShorterThanItsElementCountIsReportedAsTruncated() throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive().storage("0", new byte[10]).tensor("w", "FloatStorage", "0", 4, 0, dims(4), dims(1))
        .write(file);

    assertReadAndCheckRefuse(file, file.toString(), "'archive/data/0' holds 10 bytes",
        "FloatStorage of 4 elements needs 16", "truncated");
  }

  @Test
  void storedStorageWhoseDeclaredSizeReachesPastTheFileIsReportedAsTruncatedWithoutReadingItsData()
      throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive().storage("0", new byte[16]).tensor("w", "FloatStorage", "0", 512, 0, dims(512), dims(1))
        .write(file);
    TorchArchive.declareStoredSize(file, "archive/data/0", 2048);

    assertReadAndCheckRefuse(file, file.toString(), "'archive/data/0' holds",
        "FloatStorage of 512 elements needs 2048", "truncated");
  }

  @Test
  void viewReachingPastItsStorageIsReported() throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive().storage("0", float32(ByteOrder.LITTLE_ENDIAN, IOTA_24))
        .tensor("w", "FloatStorage", "0", 24, 20, dims(2, 3), dims(3, 1)).write(file);

    assertReadAndCheckRefuse(file, file.toString(), "tensor 'w' reads element 25",
        "holds only 24 elements");
  }
}
