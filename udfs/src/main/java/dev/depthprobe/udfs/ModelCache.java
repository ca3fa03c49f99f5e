package dev.depthprobe.udfs;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor JVM's models, one per key (a checkpoint's content hash), shared by every task thread.
 * A JVM-wide singleton as Iceberg's {@code SparkExecutorCache}, not a {@code @transient} field of a
 * serialised function: such a field is reset for every deserialised task, so the model would be
 * rebuilt per partition.
 */
public final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static final ConcurrentMap<String, Slot> SLOTS = new ConcurrentHashMap<>();

  private ModelCache() {}

  /**
   * The value cached under {@code key}, loading it with {@code loader} on first use. Concurrent
   * callers of a key wait for one load; a load that throws leaves the key empty for the next caller.
   */
  @SuppressWarnings("unchecked")
  public static <T> T getOrLoad(String key, Supplier<T> loader) {
    return (T) SLOTS.computeIfAbsent(key, k -> new Slot()).get(key, loader);
  }

  /** How many times a value for {@code key} has been loaded in this JVM (tests assert it is 1). */
  public static int loadCount(String key) {
    Slot slot = SLOTS.get(key);
    return slot == null ? 0 : slot.loads.get();
  }

  /** One key's value; its monitor serialises the loads of that key only. */
  private static final class Slot {
    private final AtomicInteger loads = new AtomicInteger();
    private volatile Object value;

    Object get(String key, Supplier<?> loader) {
      Object v = value;
      if (v != null) {
        return v;
      }
      synchronized (this) {
        if (value == null) {
          long start = System.nanoTime();
          Object loaded = loader.get();
          if (loaded == null) {
            throw new IllegalStateException("model loader for " + key + " returned null");
          }
          value = loaded;
          loads.incrementAndGet();
          LOG.info("Loaded model {} in {} ms (thread {})", key, (System.nanoTime() - start) / 1_000_000,
              Thread.currentThread().getName());
        }
        return value;
      }
    }
  }
}
