package dev.depthprobe.jobs.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a benchmark ran on: the CPU model, core count and vector extensions, from /proc/cpuinfo; and the JVM's
 * garbage collector, which sets much of a run's resident memory.
 */
public final class Machine {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");
  /** HotSpot's collector flags (one of them is on) and the names the bench prints for them. */
  private static final Map<String, String> COLLECTORS = Map.of("UseSerialGC", "Serial", "UseParallelGC", "Parallel",
      "UseG1GC", "G1", "UseZGC", "ZGC", "UseShenandoahGC", "Shenandoah", "UseEpsilonGC", "Epsilon");

  private Machine() {}

  /** e.g. {@code AMD EPYC, 2 cores, AVX2 FMA AVX-512}. */
  public static String describe() {
    String cpuinfo;
    try {
      cpuinfo = Files.readString(CPUINFO);
    } catch (IOException e) {
      return Runtime.getRuntime().availableProcessors() + " cores";
    }
    return describe(cpuinfo, Runtime.getRuntime().availableProcessors());
  }

  static String describe(String cpuinfo, int cores) {
    String model = field(cpuinfo, "model name").orElse("unknown CPU");
    List<String> flags = List.of(field(cpuinfo, "flags").orElse("").split("\\s+"));
    List<String> vector = new ArrayList<>();
    if (flags.contains("avx2")) {
      vector.add("AVX2");
    }
    if (flags.contains("fma")) {
      vector.add("FMA");
    }
    if (flags.contains("avx512f")) {
      vector.add("AVX-512");
    }
    return model + ", " + cores + " cores" + (vector.isEmpty() ? "" : ", " + String.join(" ", vector));
  }

  /**
   * e.g. {@code Serial GC, young generation 32 MiB, survivor ratio 2}: the collector this JVM runs, from HotSpot's
   * flags, and its young generation's sizing where the command line sets it (the launcher does on two cores).
   */
  public static String collector() {
    HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String young = youngGeneration(hotSpot.getVMOption("MaxNewSize"), hotSpot.getVMOption("SurvivorRatio"));
    for (Map.Entry<String, String> collector : COLLECTORS.entrySet()) {
      try {
        if (Boolean.parseBoolean(hotSpot.getVMOption(collector.getKey()).getValue())) {
          return collector.getValue() + " GC" + young;
        }
      } catch (IllegalArgumentException e) {
        // a flag this JVM does not have: not its collector
      }
    }
    return "unknown GC" + young;
  }

  /** The young generation's size and survivor ratio where the command line set them, else nothing. */
  static String youngGeneration(VMOption maxNewSize, VMOption survivorRatio) {
    StringBuilder young = new StringBuilder();
    if (maxNewSize.getOrigin() == VMOption.Origin.VM_CREATION) {
      young.append(", young generation ").append(Long.parseLong(maxNewSize.getValue()) >> 20).append(" MiB");
    }
    if (survivorRatio.getOrigin() == VMOption.Origin.VM_CREATION) {
      young.append(", survivor ratio ").append(survivorRatio.getValue());
    }
    return young.toString();
  }

  private static Optional<String> field(String cpuinfo, String key) {
    return cpuinfo.lines()
        .filter(line -> line.startsWith(key))
        .map(line -> line.substring(line.indexOf(':') + 1).trim())
        .findFirst();
  }
}
