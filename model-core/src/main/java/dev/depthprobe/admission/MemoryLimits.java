package dev.depthprobe.admission;

import org.bytedeco.javacpp.Pointer;

/**
 * An executor JVM's memory as primitives: its heap ({@code Runtime.maxMemory()} and what is in use after the most
 * recent collection, so that uncollected garbage does not count; see {@link HeapInUse}), JavaCPP's limits
 * ({@code org.bytedeco.javacpp.maxbytes}: native memory JavaCPP may allocate; {@code maxphysicalbytes}: the whole
 * process's resident memory, heap included; 0 or {@code Long.MAX_VALUE} when not set), the native bytes JavaCPP has
 * allocated (the model's weights among them) and {@code spark.executor.memoryOverhead} in bytes (0 outside Spark).
 */
public record MemoryLimits(long heapMaxBytes, long heapUsedBytes, long javacppMaxBytes, long javacppMaxPhysicalBytes,
    long javacppInUseBytes, long memoryOverheadBytes) {

  /** This JVM's figures now. */
  public static MemoryLimits ofThisJvm(long memoryOverheadBytes) {
    return new MemoryLimits(Runtime.getRuntime().maxMemory(), HeapInUse.ofThisJvm(), Pointer.maxBytes(),
        Pointer.maxPhysicalBytes(), Pointer.totalBytes(), memoryOverheadBytes);
  }

  static boolean isSet(long limit) {
    return limit > 0 && limit != Long.MAX_VALUE;
  }

  /**
   * Native bytes the executor may still use: JavaCPP's maxbytes and (maxphysicalbytes minus the heap) where set, less
   * what JavaCPP holds; where neither is set, the memory overhead Spark adds to the container for native memory.
   */
  long nativeAvailable() {
    long limit = Long.MAX_VALUE;
    if (isSet(javacppMaxBytes)) {
      limit = javacppMaxBytes;
    }
    if (isSet(javacppMaxPhysicalBytes)) {
      limit = Math.min(limit, javacppMaxPhysicalBytes - heapMaxBytes);
    }
    if (limit == Long.MAX_VALUE) {
      return memoryOverheadBytes > 0 ? Math.max(0, memoryOverheadBytes - javacppInUseBytes) : Long.MAX_VALUE;
    }
    return Math.max(0, limit - javacppInUseBytes);
  }

  long heapAvailable() {
    return Math.max(0, heapMaxBytes - heapUsedBytes);
  }

  /** Whether the native budget comes from {@code spark.executor.memoryOverhead} rather than JavaCPP's limits. */
  boolean nativeFromOverhead() {
    return !isSet(javacppMaxBytes) && !isSet(javacppMaxPhysicalBytes);
  }
}
