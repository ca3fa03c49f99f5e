package dev.depthprobe.jobs.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap that was live at any collection while it listened: after each garbage collection, the heap pools'
 * use (what the collection kept), and the highest of these. Unlike a pool's peak use, it leaves out garbage the
 * collector had not yet reclaimed, so it is what a smaller heap must still hold; it can miss what lived only between
 * two collections (at most the young generation's size, when that is small).
 */
final class LiveHeapPeak implements AutoCloseable {
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final AtomicLong peak = new AtomicLong();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::collected;

  private LiveHeapPeak() {}

  /** Starts listening to every collector of this JVM. */
  static LiveHeapPeak listen() {
    LiveHeapPeak live = new LiveHeapPeak();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(live.listener, null, null);
        live.emitters.add(emitter);
      }
    }
    return live;
  }

  /** The highest heap use after a collection so far, in bytes (0 before the first collection). */
  long peakBytes() {
    return peak.get();
  }

  private void collected(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    peak.accumulateAndGet(heapUse(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
  }

  long heapUse(Map<String, MemoryUsage> pools) {
    return pools.entrySet().stream().filter(pool -> heapPools.contains(pool.getKey()))
        .mapToLong(pool -> pool.getValue().getUsed()).sum();
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
