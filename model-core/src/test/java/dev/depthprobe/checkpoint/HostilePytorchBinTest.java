package dev.depthprobe.checkpoint;

import static dev.depthprobe.checkpoint.Fixtures.assertFailsNaming;
import static dev.depthprobe.checkpoint.TorchArchive.float32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pytorch_model.bin files built to break the reader: each is refused in one line naming the file. */
class HostilePytorchBinTest {
  @TempDir
  Path tmp;

  /** An archive whose data.pkl is {@code pickle} and which holds one 4-byte float32 storage, key "0". */
  private Path archive(byte[] pickle) throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive().storage("0", float32(java.nio.ByteOrder.LITTLE_ENDIAN, 1f)).write(file, pickle);
    return file;
  }

  /** {"w": _rebuild_tensor_v2(storage "0" of numel elements, <offset>, size, stride, False, OrderedDict())}. */
  private static byte[] onePickledTensor(long numel, Consumer<PickleWriter> offset, long[] size, long[] stride) {
    PickleWriter p = new PickleWriter().proto(2).emptyDict().str("w")
        .global("torch._utils", "_rebuild_tensor_v2").mark()
        .mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(numel).tuple().binpersid();
    offset.accept(p);
    return p.ints(size).ints(stride).newFalse().global("collections", "OrderedDict").emptyTuple().reduce()
        .tuple().reduce().setitem().stop().bytes();
  }

  /** Reading {@code file}, and checking it without its tensors' data, refuse it alike in one line naming it. */
  private static void assertReadAndCheckRefuse(Path file, String... fragments) {
    String read = assertFailsNaming(() -> PytorchBinReader.read(file), fragments).getMessage();
    assertEquals(read, assertFailsNaming(() -> PytorchBinReader.check(file), fragments).getMessage());
  }

  @Test
  void aDictKeyThatIsAListHoldingItselfIsRefusedWithoutOverflowingTheStack() throws IOException {
    // a = []; b = [a]; a.append(b); {a: 1}: hashing a recursed without end (StackOverflowError)
    byte[] pickle = new PickleWriter().proto(2).emptyDict()
        .op(']').binput(0).op(']').binput(1).binget(0).op('a').op('a')
        .integer(1).setitem().stop().bytes();
    Path file = archive(pickle);

    assertReadAndCheckRefuse(file, file.toString(),
        "a dict key is a self-referencing list");
  }

  @Test
  void aListAppendedToItselfIsRefused() throws IOException {
    byte[] pickle = new PickleWriter().proto(2).emptyDict().str("w").op(']').binput(0).binget(0).op('a')
        .setitem().stop().bytes();
    Path file = archive(pickle);

    assertReadAndCheckRefuse(file, file.toString(), "a list that contains itself");
  }

  @Test
  void aCycleBuiltThroughTheMemoIsRefusedWhenThePickleStops() throws IOException {
    // {"w": a} with a = [b], b = [a]
    byte[] pickle = new PickleWriter().proto(2).emptyDict().str("w")
        .op(']').binput(0).op(']').binput(1).binget(0).op('a').op('a')
        .setitem().stop().bytes();
    Path file = archive(pickle);

    assertReadAndCheckRefuse(file, file.toString(), "that contains itself");
  }

  @Test
  void containersNestedAHundredThousandDeepAreRefusedWithoutRecursion() throws IOException {
    PickleWriter p = new PickleWriter().proto(2).emptyDict().str("w");
    int depth = 100_000;
    for (int i = 0; i <= depth; i++) {
      p.op(']');
    }
    for (int i = 0; i < depth; i++) {
      p.op('a');
    }
    Path file = archive(p.setitem().stop().bytes());

    assertReadAndCheckRefuse(file, file.toString(),
        "nested deeper than " + PickleMachine.MAX_DEPTH);
  }

  @Test
  void aPickleMakingMoreObjectsThanAStateDictHoldsIsRefused() throws IOException {
    PickleWriter p = new PickleWriter().proto(2);
    for (int i = 0; i <= PickleMachine.MAX_OBJECTS; i++) {
      p.none();
    }
    Path file = archive(p.stop().bytes());

    assertReadAndCheckRefuse(file, file.toString(),
        "more than " + PickleMachine.MAX_OBJECTS + " objects");
  }

  @Test
  void aStorageOffsetOfNoneIsRefusedInsteadOfUnboxingNull() throws IOException {
    Path file = archive(onePickledTensor(1, PickleWriter::none, new long[] {1}, new long[] {1}));

    assertReadAndCheckRefuse(file, file.toString(),
        "_rebuild_tensor_v2 with storage offset None, not an int");
  }

  @Test
  void aSizeThatIsNotATupleOfIntsIsRefused() throws IOException {
    byte[] pickle = new PickleWriter().proto(2).emptyDict().str("w")
        .global("torch._utils", "_rebuild_tensor_v2").mark()
        .mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(1).tuple().binpersid()
        .integer(0).mark().none().tuple().ints(1).newFalse().global("collections", "OrderedDict").emptyTuple()
        .reduce().tuple().reduce().setitem().stop().bytes();
    Path file = archive(pickle);

    assertReadAndCheckRefuse(file, file.toString(), "_rebuild_tensor_v2 with size a tuple, not a tuple of at most 64 ints");
  }

  @Test
  void aFourByteStorageViewedAsTwoToThe31FloatsIsRefusedBeforeAllocating() throws IOException {
    Path file = archive(onePickledTensor(1, p -> p.integer(0), new long[] {1L << 31}, new long[] {0}));

    assertReadAndCheckRefuse(file, file.toString(), "tensor 'w' of size [2147483648]",
        "views more elements than storage 'archive/data/0' holds (1)");
  }

  @Test
  void aViewWhoseSizeOverflowsALongIsRefused() throws IOException {
    long big = 1L << 40;
    Path file = archive(onePickledTensor(1, p -> p.integer(0), new long[] {big, big}, new long[] {0, 0}));

    assertReadAndCheckRefuse(file, file.toString(), "views more elements than storage");
  }

  @Test
  void aViewWithinItsStorageStillReadsWithZeroStrides() throws IOException {
    // torch.arange(1).expand(1, 1): size-1 dimensions of stride 0 view one element
    Path file = archive(onePickledTensor(1, p -> p.integer(0), new long[] {1, 1}, new long[] {0, 0}));

    assertArrayEquals(new float[] {1f}, PytorchBinReader.read(file).get("w").toArray());
  }

  @Test
  void aStorageDeclaredLargerThanTwoGigabytesIsRefusedBeforeReading() throws IOException {
    Path file = archive(onePickledTensor(1L << 40, p -> p.integer(0), new long[] {1}, new long[] {1}));

    assertReadAndCheckRefuse(file, file.toString(), "storage entry 'archive/data/0'",
        "declared as 1099511627776 elements", "more than the 2 GB");
  }

  @Test
  void aDataPklThatInflatesPastItsCapIsRefusedByTheBytesRead() throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("archive/data.pkl")); // deflated: some 17 KB on disk
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i <= PytorchBinReader.MAX_PICKLE_BYTES >> 20; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }

    assertReadAndCheckRefuse(file, file.toString(),
        "zip entry 'archive/data.pkl' expands to more than " + PytorchBinReader.MAX_PICKLE_BYTES + " bytes");
  }

  @Test
  void storagesThatInflateFarBeyondTheArchiveAreRefusedBeforeTheirBytesAreHeld() throws IOException {
    long numel = 64L << 20; // 256 MiB of float32 zeros, deflated to some 256 KB
    Path file = tmp.resolve("pytorch_model.bin");
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("archive/data.pkl"));
      zip.write(onePickledTensor(numel, p -> p.integer(0), new long[] {numel}, new long[] {1}));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("archive/data/0"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 4 * numel >> 20; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }

    assertReadAndCheckRefuse(file, file.toString(),
        "storage entries inflate to more than " + PytorchBinReader.MAX_INFLATION + " times the archive's size",
        "zip bomb");
  }

  @Test
  void aStorageEntryThatIsShorterThanDeclaredIsTruncated() throws IOException {
    Path file = tmp.resolve("pytorch_model.bin");
    new TorchArchive().storage("0", new byte[3]).write(file,
        onePickledTensor(1, p -> p.integer(0), new long[] {1}, new long[] {1}));

    assertReadAndCheckRefuse(file, file.toString(), "holds 3 bytes", "truncated");
  }

  @Test
  void stateDictEntriesThatAreNotTensorsAreNamedWithoutPrintingThem() throws IOException {
    Path file = archive(new PickleWriter().proto(2).emptyDict().str("w").op(']').setitem().stop().bytes());

    assertReadAndCheckRefuse(file, file.toString(), "state dict entry 'w' is a list, not a tensor");
  }

  @Test
  void aRealStateDictStillLoads() throws IOException {
    Path file = tmp.resolve("ok.bin");
    TorchArchive.of(Map.of("w", new Tensor("w", new long[] {2}, java.nio.FloatBuffer.wrap(new float[] {3, 4}))))
        .orderedDictWithMetadata().write(file);

    assertArrayEquals(new float[] {3, 4}, PytorchBinReader.read(file).get("w").toArray());
  }
}
