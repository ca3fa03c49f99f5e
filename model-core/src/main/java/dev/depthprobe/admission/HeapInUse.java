package dev.depthprobe.admission;

import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.Map;

/**
 * The heap a task cannot count on: each heap pool's use right after the JVM's most recent collection, so that garbage
 * not yet collected does not shrink the budget. Read from the figures the collector recorded (no collection is
 * forced). That collection's record covers every pool, the old generation too, with what young collections promoted
 * into it; a pool's own collection usage ({@link MemoryPoolMXBean#getCollectionUsage()}) would not do, as the old
 * generation's stays at its last old collection however much has been promoted since. A pool the record does not name,
 * and every pool before the first collection, counts at its current use.
 */
final class HeapInUse {
  private HeapInUse() {}

  /** This JVM's heap in use after its most recent collection. */
  static long ofThisJvm() {
    Map<String, Long> usedNow = new HashMap<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage usage = pool.getUsage();
      if (pool.getType() == MemoryType.HEAP && pool.isValid() && usage != null) {
        usedNow.put(pool.getName(), usage.getUsed());
      }
    }
    return of(usedNow, usedAfterLastCollection());
  }

  /**
   * The heap in use: over the heap pools ({@code usedNow}, pool name to bytes), each pool's use after the last
   * collection where {@code usedAfterLastCollection} has it, its use now otherwise.
   */
  static long of(Map<String, Long> usedNow, Map<String, Long> usedAfterLastCollection) {
    long inUse = 0;
    for (Map.Entry<String, Long> pool : usedNow.entrySet()) {
      inUse += usedAfterLastCollection.getOrDefault(pool.getKey(), pool.getValue());
    }
    return inUse;
  }

  /** Pool name to bytes used right after the most recent collection of any collector; empty before the first. */
  private static Map<String, Long> usedAfterLastCollection() {
    GcInfo last = null;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof com.sun.management.GarbageCollectorMXBean withInfo) {
        GcInfo info = withInfo.getLastGcInfo();
        if (info != null && (last == null || info.getEndTime() > last.getEndTime())) {
          last = info;
        }
      }
    }
    Map<String, Long> used = new HashMap<>();
    if (last != null) {
      last.getMemoryUsageAfterGc().forEach((pool, usage) -> used.put(pool, usage.getUsed()));
    }
    return used;
  }
}
