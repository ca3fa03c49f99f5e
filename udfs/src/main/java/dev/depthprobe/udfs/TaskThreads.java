package dev.depthprobe.udfs;

import dev.depthprobe.compute.Nd4jThreads;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Threads for one task's model forward passes: the executor's cores divided by the tasks it runs at
 * once ({@code spark.executor.cores / spark.task.cpus}, or {@code local[N]} in local mode), never
 * more than the cores.
 */
public final class TaskThreads {
  private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\d+)?]");

  private TaskThreads() {}

  /** On an executor: {@code requested} (capped at the cores) if given, else the fair share. */
  public static int forCurrentTask(Integer requested) {
    SparkConf conf = SparkEnv.get().conf();
    int available = Runtime.getRuntime().availableProcessors();
    int cores = executorCores(conf.get("spark.executor.cores", null), conf.get("spark.master", ""), available);
    return threads(requested, cores, conf.getInt("spark.task.cpus", 1));
  }

  /** On an executor: how many tasks it runs at once ({@code spark.executor.cores / spark.task.cpus}). */
  public static int concurrentTasks() {
    SparkConf conf = SparkEnv.get().conf();
    int cores = executorCores(conf.get("spark.executor.cores", null), conf.get("spark.master", ""),
        Runtime.getRuntime().availableProcessors());
    return Math.max(1, cores / Math.max(1, conf.getInt("spark.task.cpus", 1)));
  }

  /**
   * Gives the calling task thread {@code threads} threads: its own OpenMP count, which the models' loops
   * ({@code Parallel}) take as the thread's share, and ND4J's pools (libnd4j's and the BLAS library's), which are
   * process-wide; every task of an executor computes the same share, so concurrent tasks agree.
   */
  public static void use(int threads) {
    Nd4jThreads.setForCurrentThread(threads);
    Environment env = Nd4j.getEnvironment();
    if (env.maxThreads() != threads || env.maxMasterThreads() != threads) {
      env.setMaxThreads(threads);
      env.setMaxMasterThreads(threads);
      Nd4j.factory().blas().setMaxThreads(threads);
    }
  }

  static int threads(Integer requested, int cores, int taskCpus) {
    if (requested != null) {
      return Math.max(1, Math.min(requested, cores));
    }
    int concurrentTasks = Math.max(1, cores / Math.max(1, taskCpus));
    return Math.max(1, Math.min(cores / concurrentTasks, cores));
  }

  /** {@code spark.executor.cores} if set, else N of {@code local[N]}, else the machine's cores. */
  static int executorCores(String executorCores, String master, int available) {
    if (executorCores != null) {
      return Math.min(Integer.parseInt(executorCores.trim()), available);
    }
    Matcher m = LOCAL.matcher(master);
    if (m.matches() && !m.group(1).equals("*")) {
      return Math.min(Integer.parseInt(m.group(1)), available);
    }
    return available;
  }
}
