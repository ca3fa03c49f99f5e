package dev.depthprobe.jobs.bench;

import dev.depthprobe.admission.Flops;

/**
 * One benchmarked forward pass: a model on one batch of inputs.
 *
 * @param name the case as the peers' figures ({@link Peers}) name it
 * @param pass runs the forward pass once on the prepared batch
 */
public record BenchCase(String name, int batch, Flops flopsPerImage, Runnable pass) {}
