package dev.depthprobe.udfs.distribution;

import static dev.depthprobe.udfs.distribution.ModelDistribution.AUTO;
import static dev.depthprobe.udfs.distribution.ModelDistribution.BROADCAST;
import static dev.depthprobe.udfs.distribution.ModelDistribution.PATH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.depthprobe.checkpoint.CheckpointException;
import org.junit.jupiter.api.Test;

class DistributionChoiceTest {
  private static final long MIB = 1L << 20;
  private static final long IMAGEGPT_SMALL = 336 * MIB;
  private static final long IMAGEGPT_MEDIUM = 1_820 * MIB;
  private static final long IMAGEGPT_LARGE = 5_430 * MIB;

  @Test
  void autoBroadcastsWeightsUpToOneGibOnTheDriversDisk() {
    assertEquals(BROADCAST, DistributionChoice.resolve(AUTO, "/m", IMAGEGPT_SMALL, true, false));
    assertEquals(BROADCAST, DistributionChoice.resolve(AUTO, "/m", 1024 * MIB, true, false));
  }

  @Test
  void autoInLocalModeHasTheExecutorsInTheDriversJvmReadTheFolderInPlace() {
    assertEquals(PATH, DistributionChoice.resolve(AUTO, "/m", IMAGEGPT_SMALL, true, true));
    assertEquals(BROADCAST, DistributionChoice.resolve(BROADCAST, "/m", IMAGEGPT_SMALL, true, true));
  }

  @Test
  void autoReadsLargerWeightsFromThePath() {
    assertEquals(PATH, DistributionChoice.resolve(AUTO, "/m", 1024 * MIB + 1, true, false));
    assertEquals(PATH, DistributionChoice.resolve(AUTO, "/m", IMAGEGPT_MEDIUM, true, false));
  }

  @Test
  void autoReadsACheckpointOnAnotherFileSystemFromThePath() {
    assertEquals(PATH, DistributionChoice.resolve(AUTO, "hdfs:///m", IMAGEGPT_SMALL, false, false));
  }

  @Test
  void pathIsAlwaysPossible() {
    assertEquals(PATH, DistributionChoice.resolve(PATH, "/m", MIB, true, false));
    assertEquals(PATH, DistributionChoice.resolve(PATH, "s3a://b/m", IMAGEGPT_LARGE, false, false));
  }

  @Test
  void broadcastOfAMediumModelIsAllowedWhenAskedFor() {
    assertEquals(BROADCAST, DistributionChoice.resolve(BROADCAST, "/m", IMAGEGPT_MEDIUM, true, false));
  }

  @Test
  void broadcastOfWeightsOverTwoGibFailsInOneLine() {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> DistributionChoice.resolve(BROADCAST, "/models/imagegpt-large", IMAGEGPT_LARGE, true, false));

    assertEquals("/models/imagegpt-large: weights of 5430 MiB do not fit a broadcast (at most 2 GiB); use "
        + "--model-distribution path", e.getMessage());
  }

  @Test
  void broadcastOfACheckpointOnAnotherFileSystemFailsInOneLine() {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> DistributionChoice.resolve(BROADCAST, "s3a://models/glpn-kitti", MIB, false, false));

    assertEquals("s3a://models/glpn-kitti: --model-distribution broadcast needs a checkpoint folder on the driver's "
        + "disk; use --model-distribution path for a Hadoop file system URI", e.getMessage());
  }
}
