package dev.depthprobe.udfs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor JVM's models, one per key (a checkpoint's content hash and device), shared by every task
 * thread. A JVM-wide singleton as Iceberg's {@code SparkExecutorCache}, not a {@code @transient} field of a
 * serialised function: such a field is reset for every deserialised task, so the model would be rebuilt
 * per partition.
 *
 * <p>Bounded ({@link ModelCacheLimits}): once a load makes it hold more models or more weight bytes than
 * allowed, the least recently used models leave it. A model leaves when the last task holding it lets its
 * {@link Lease} go: then the values attached to it (its batch queue) are closed, and the model itself if
 * it is {@link AutoCloseable} (its native arrays). A task that asks for an evicted model later builds it
 * again.
 */
public final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static final Object LOCK = new Object();
  /** Access order: the first entry is the least recently used. Guarded by {@link #LOCK}. */
  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>(16, 0.75f, true);

  private ModelCache() {}

  /**
   * The model cached under {@code key}, building it with {@code loader} on first use, held by the caller
   * until it closes the lease. Concurrent callers of a key wait for one load; a load that throws leaves the
   * key empty for the next caller.
   *
   * @param bytes what the model holds (its weights), counted against {@link ModelCacheLimits#maxBytes()}
   */
  public static <T> Lease<T> acquire(String key, long bytes, Supplier<T> loader) {
    return acquire(key, bytes, loader, ModelCacheLimits.current());
  }

  static <T> Lease<T> acquire(String key, long bytes, Supplier<T> loader, ModelCacheLimits limits) {
    Entry entry;
    synchronized (LOCK) {
      entry = ENTRIES.computeIfAbsent(key, k -> new Entry(k, bytes));
      entry.users++;
    }
    try {
      entry.load(loader);
    } catch (RuntimeException | Error e) {
      release(entry, true);
      throw e;
    }
    List<Entry> evicted = evictBeyond(limits, entry);
    evicted.forEach(Entry::closeIfUnused);
    return new Lease<>(entry);
  }

  /** The keys held now, least recently used first. */
  public static List<String> keys() {
    synchronized (LOCK) {
      return List.copyOf(ENTRIES.keySet());
    }
  }

  /** Takes the least recently used loaded entries other than {@code keep} out while over a limit. */
  private static List<Entry> evictBeyond(ModelCacheLimits limits, Entry keep) {
    List<Entry> out = new ArrayList<>();
    synchronized (LOCK) {
      long bytes = 0;
      for (Entry e : ENTRIES.values()) {
        bytes += e.bytes;
      }
      for (Iterator<Entry> it = ENTRIES.values().iterator();
          it.hasNext() && (ENTRIES.size() > limits.maxModels() || bytes > limits.maxBytes()); ) {
        Entry e = it.next();
        if (e != keep && e.loaded()) {
          it.remove();
          e.evicted = true;
          bytes -= e.bytes;
          out.add(e);
          LOG.info("Model cache: evicting {} ({} MiB; limits {} models, {} MiB)", e.key, e.bytes >> 20,
              limits.maxModels(), limits.maxBytes() >> 20);
        }
      }
    }
    return out;
  }

  private static void release(Entry entry, boolean failedLoad) {
    synchronized (LOCK) {
      entry.users--;
      if (failedLoad && !entry.loaded() && ENTRIES.get(entry.key) == entry && entry.users == 0) {
        ENTRIES.remove(entry.key);
      }
    }
    entry.closeIfUnused();
  }

  /**
   * One task's hold on a cached model: the model is not closed while a lease on it is open. Close it
   * when the task completes.
   */
  public static final class Lease<T> implements AutoCloseable {
    private final Entry entry;
    private boolean closed;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    @SuppressWarnings("unchecked")
    public T value() {
      return (T) entry.value;
    }

    /**
     * A value that lives as long as the model in the cache (e.g. its device batch queue), made with
     * {@code maker} on first use under {@code name}; closed before the model when it is evicted.
     */
    @SuppressWarnings("unchecked")
    public <A extends AutoCloseable> A attached(String name, Supplier<A> maker) {
      synchronized (entry) {
        return (A) entry.attached.computeIfAbsent(name, n -> maker.get());
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release(entry, false);
      }
    }
  }

  /** One key's model; its monitor serialises the loads of that key only. */
  private static final class Entry {
    final String key;
    final long bytes;
    final Map<String, AutoCloseable> attached = new LinkedHashMap<>();
    volatile Object value;
    /** Guarded by {@link #LOCK}. */
    int users;
    /** Guarded by {@link #LOCK}. */
    boolean evicted;
    /** Guarded by {@link #LOCK}. */
    boolean closing;

    Entry(String key, long bytes) {
      this.key = key;
      this.bytes = bytes;
    }

    boolean loaded() {
      return value != null;
    }

    synchronized void load(Supplier<?> loader) {
      if (value != null) {
        return;
      }
      long start = System.nanoTime();
      Object loaded = loader.get();
      if (loaded == null) {
        throw new IllegalStateException("model loader for " + key + " returned null");
      }
      value = loaded;
      LOG.info("Loaded model {} in {} ms (thread {})", key, (System.nanoTime() - start) / 1_000_000,
          Thread.currentThread().getName());
    }

    /** Closes what this entry holds once it is evicted and no task holds it. */
    void closeIfUnused() {
      synchronized (LOCK) {
        if (!evicted || users > 0 || closing) {
          return;
        }
        closing = true;
      }
      List<AutoCloseable> toClose;
      synchronized (this) {
        toClose = new ArrayList<>(attached.values());
        attached.clear();
      }
      if (value instanceof AutoCloseable model) {
        toClose.add(model);
      }
      for (AutoCloseable c : toClose) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("Model cache: closing {} of {} failed: {}", c.getClass().getSimpleName(), key, e.toString());
        }
      }
      value = null;
      LOG.info("Model cache: closed {}", key);
    }
  }
}
