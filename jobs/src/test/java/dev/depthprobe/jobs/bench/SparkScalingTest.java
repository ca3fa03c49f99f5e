package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.jobs.Main;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SparkScalingTest {
  @Test
  void theDepthJobRunsOnALocalClusterOfOneCoreExecutors() {
    String[] args = SparkBench.depthJob(Path.of("images"), Path.of("model"), Path.of("out"), SparkScaling.conf(2));
    new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    List<String> list = List.of(args);
    assertTrue(list.contains("-Cspark.master=local-cluster[2,1,2048]"), list.toString());
    assertTrue(list.contains("-Cspark.executor.cores=1"), list.toString());
    assertTrue(list.contains("-Cspark.executor.memory=2048m"), list.toString());
  }

  @Test
  void eachJobIsComparedWithTheFirstExecutorCountAtTheSameImagesAndTheGoalSaysByHowMuch() {
    String table = SparkScaling.table(List.of(new SparkScaling.Point(64, 1, 32), new SparkScaling.Point(64, 2, 20),
        new SparkScaling.Point(256, 1, 128), new SparkScaling.Point(256, 2, 64)));

    assertTrue(table.contains("| 64 | 1 | 32.0 | 2.00 | 1.00 |"), table);
    assertTrue(table.contains("| 64 | 2 | 20.0 | 3.20 | 1.60 |"), table);
    assertTrue(table.contains("| 256 | 2 | 64.0 | 4.00 | 2.00 |"), table);
    assertTrue(table.contains("64 images: 1.60x (NOT MET, 11% short); 256 images: 2.00x (met)"), table);
  }

  @Test
  void imagesPerSecondIsImagesOverTheJobsSeconds() {
    assertEquals(8.0, new SparkScaling.Point(1024, 2, 128).imagesPerSecond(), 1e-12);
  }
}
