package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class MachineTest {
  @Test
  void namesTheCpuItsCoresAndVectorExtensions() {
    String cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse avx fma avx2 avx512f\n\n"
        + "processor\t: 1\nmodel name\t: AMD EPYC\n";
    assertEquals("AMD EPYC, 2 cores, AVX2 FMA AVX-512", Machine.describe(cpuinfo, 2));
  }

  @Test
  void namesTheCollectorThisJvmRuns() {
    String expected = ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().startsWith("G1") ? "G1 GC"
        : ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().equals("Copy") ? "Serial GC" : null;
    assertNotNull(expected, "a test JVM runs G1 or Serial");
    HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    assertEquals(expected + Machine.youngGeneration(hotSpot.getVMOption("MaxNewSize"),
        hotSpot.getVMOption("SurvivorRatio")), Machine.collector());
  }

  @Test
  void namesTheYoungGenerationsSizingOnlyWhereTheCommandLineSetsIt() {
    VMOption young = new VMOption("MaxNewSize", "33554432", true, VMOption.Origin.VM_CREATION);
    VMOption ratio = new VMOption("SurvivorRatio", "2", true, VMOption.Origin.VM_CREATION);
    assertEquals(", young generation 32 MiB, survivor ratio 2", Machine.youngGeneration(young, ratio));
    VMOption ergonomicYoung = new VMOption("MaxNewSize", "2106916864", true, VMOption.Origin.ERGONOMIC);
    VMOption defaultRatio = new VMOption("SurvivorRatio", "8", true, VMOption.Origin.DEFAULT);
    assertEquals("", Machine.youngGeneration(ergonomicYoung, defaultRatio));
  }

  @Test
  void withoutCpuinfoFieldsStillCountsCores() {
    assertEquals("unknown CPU, 4 cores", Machine.describe("", 4));
  }
}
