package dev.depthprobe.udfs.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.checkpoint.Checkpoint;
import dev.depthprobe.udfs.ModelPayload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver side, in two steps: {@link #of} finds the checkpoint ({@code --model}: a local folder or any
 * Hadoop file system URI), reads its configs and weight sizes, and settles {@code --model-distribution}
 * (cheap: usable in a dry run); {@link #distribute} then reads and broadcasts the weights, or checks
 * the weight files' structure, hashes them and hands executors the path. NOT meant to be serialised.
 */
public final class DistributionPlan {
  private static final Logger LOG = LoggerFactory.getLogger(DistributionPlan.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SharedCheckpoint checkpoint;
  private final ModelDistribution requested;
  private final ModelDistribution distribution;

  private DistributionPlan(SharedCheckpoint checkpoint, ModelDistribution requested, ModelDistribution distribution) {
    this.checkpoint = checkpoint;
    this.requested = requested;
    this.distribution = distribution;
  }

  /** For a cluster: throws {@code CheckpointException} (one line) if the checkpoint cannot be used as asked. */
  public static DistributionPlan of(String location, ModelDistribution requested, Configuration hadoopConf) {
    return of(location, requested, hadoopConf, false);
  }

  /**
   * As {@link #of(String, ModelDistribution, Configuration)}; {@code localMaster}: the executors run in this JVM
   * (Spark's local mode), where {@code auto} has them read the folder in place.
   */
  public static DistributionPlan of(String location, ModelDistribution requested, Configuration hadoopConf,
      boolean localMaster) {
    SharedCheckpoint checkpoint = SharedCheckpoint.open(location, hadoopConf);
    ModelDistribution chosen = DistributionChoice.resolve(requested, location, checkpoint.weightBytes(),
        checkpoint.isLocal(), localMaster);
    return new DistributionPlan(checkpoint, requested, chosen);
  }

  /** BROADCAST or PATH. */
  public ModelDistribution distribution() {
    return distribution;
  }

  /** {@code ORG/NAME@rev} for a Hugging Face cache folder, else the folder's name. */
  public String displayName() {
    return checkpoint.displayName();
  }

  public long weightBytes() {
    return checkpoint.weightBytes();
  }

  public JsonNode config() {
    return parse(checkpoint.configJson());
  }

  public JsonNode preprocessorConfig() {
    return parse(checkpoint.preprocessorConfigJson());
  }

  /** Ships the model: a broadcast of the weights, or their path for executors to read. */
  public ModelSource distribute(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    long mib = DistributionChoice.mib(weightBytes());
    if (distribution == ModelDistribution.BROADCAST) {
      ModelPayload payload = ModelPayload.read(Checkpoint.open(Paths.get(checkpoint.dir().toUri())));
      LOG.info("Model {}: broadcasting {} MiB of weights (--model-distribution {})", payload.label(), mib,
          requested.optionValue());
      return new BroadcastModelSource(jsc.broadcast(payload), payload.key(), payload.label(), payload.weightBytes());
    }
    if (checkpoint.isLocal()) {
      checkWeightFiles();
    }
    String key = checkpoint.contentHash();
    String label = ModelSource.label(checkpoint.displayName(), key);
    LOG.info("Model {}: executors read {} MiB of weights from {} (--model-distribution {}); every executor must "
        + "see that path", label, mib, checkpoint.dir(), requested.optionValue());
    return new PathModelSource(checkpoint, label, key,
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration())));
  }

  /**
   * Checks the weight files' structure on the driver (safetensors headers; a {@code pytorch_model.bin}'s pickle, zip
   * entries and views; no tensor data), so that a broken or hostile one fails the job in one line before any task
   * starts (executors would each fail on it, under pages of Spark's task failure logs). Only for a folder on the
   * driver's disk.
   */
  private void checkWeightFiles() {
    Checkpoint.open(Paths.get(checkpoint.dir().toUri())).checkWeightFiles();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
