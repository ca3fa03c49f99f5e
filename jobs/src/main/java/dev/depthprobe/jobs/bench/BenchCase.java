package dev.depthprobe.jobs.bench;

import dev.depthprobe.admission.Flops;
import java.util.List;

/**
 * One benchmarked forward pass: a model on one batch of inputs.
 *
 * @param name the case as the peers' figures ({@link Peers}) name it
 * @param pass runs the forward pass once on the prepared batch
 * @param parts the model's parts, for {@link StackSampler}
 */
public record BenchCase(String name, int batch, Flops flopsPerImage, Runnable pass, List<StackSampler.Part> parts) {}
