package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MachineTest {
  @Test
  void namesTheCpuItsCoresAndVectorExtensions() {
    String cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse avx fma avx2 avx512f\n\n"
        + "processor\t: 1\nmodel name\t: AMD EPYC\n";
    assertEquals("AMD EPYC, 2 cores, AVX2 FMA AVX-512", Machine.describe(cpuinfo, 2));
  }

  @Test
  void withoutCpuinfoFieldsStillCountsCores() {
    assertEquals("unknown CPU, 4 cores", Machine.describe("", 4));
  }
}
