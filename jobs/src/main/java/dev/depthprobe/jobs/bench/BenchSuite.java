package dev.depthprobe.jobs.bench;

import java.util.List;

/** A model's benchmark: its cases, and the small case of the memory-flatness check with its pass count. */
public record BenchSuite(String model, long weightBytes, List<BenchCase> cases, BenchCase flatnessCase,
    int flatnessPasses) {}
