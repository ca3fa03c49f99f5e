package dev.depthprobe.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build's leftover maps are unmapped once the build has returned, when they are worth a collection, and left to the
 * collector when not.
 */
class CheckpointBuffersTest {
  @TempDir
  Path dir;

  @Test
  void mapsNothingHoldsAnyMoreAreUnmappedOnceTheyAreWorthACollection() throws IOException {
    long size = 2 * CheckpointBuffers.WORTH_COLLECTING;
    long before = maps().getMemoryUsed();
    mapAndDrop(sparseFile("weights.safetensors", size));
    assertTrue(maps().getMemoryUsed() >= before + size, "the map is counted until it is collected");

    CheckpointBuffers.release();

    assertTrue(maps().getMemoryUsed() <= before,
        "still mapped after the release: " + (maps().getMemoryUsed() - before) + " bytes");
  }

  @Test
  void aBuildsLeftoverMapsAreUnmappedOnceTheBuildHasReturned() throws IOException {
    long size = 2 * CheckpointBuffers.WORTH_COLLECTING;
    Path weights = sparseFile("model.safetensors", size);
    long before = maps().getMemoryUsed();

    String model = CheckpointBuffers.releasedAfter(() -> {
      mapAndDropUnchecked(weights);
      return "model";
    });

    assertEquals("model", model);
    assertTrue(maps().getMemoryUsed() <= before,
        "still mapped after the build: " + (maps().getMemoryUsed() - before) + " bytes");
  }

  @Test
  void aSmallLeftoverIsLeftToTheCollectorRatherThanPayingForAFullCollection() throws IOException {
    CheckpointBuffers.release();
    assumeTrue(pooled() < CheckpointBuffers.WORTH_COLLECTING - (1 << 20), "this JVM's pools already hold more");
    mapAndDrop(sparseFile("small.safetensors", 1 << 20));
    // counted around the release alone: a collection elsewhere in the test (allocation makes young ones) may
    // unmap other tests' dropped maps, which is why the maps' count is no measure here
    long collections = collections();

    CheckpointBuffers.release();

    assertEquals(collections, collections(), "a collection for a leftover of 1 MiB");
  }

  private static long collections() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
  }

  private Path sparseFile(String name, long size) throws IOException {
    Path file = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
    return file;
  }

  /** Maps the whole file and keeps no reference to the map: only the collector can unmap it. */
  private static void mapAndDrop(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
    }
  }

  private static void mapAndDropUnchecked(Path file) {
    try {
      mapAndDrop(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BufferPoolMXBean maps() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("mapped")).findFirst().orElseThrow();
  }

  private static long pooled() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
  }
}
