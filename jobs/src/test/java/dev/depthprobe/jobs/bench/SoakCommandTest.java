package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthprobe.jobs.UserException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakCommandTest {
  @Test
  void depthOptionsPassThroughWhenTheDepthCommandTakesThem() {
    assertDoesNotThrow(() -> SoakCommand.checkDepthOptions(
        List.of("--max-image-pixels", "1000000", "--batch-size=2", "-Cspark.sql.shuffle.partitions=4")));
  }

  @Test
  void anOptionTheDepthCommandDoesNotTakeIsRefused() {
    UserException e = assertThrows(UserException.class,
        () -> SoakCommand.checkDepthOptions(List.of("--no-such-option", "3")));
    assertTrue(e.getMessage().startsWith("not an option of the depth job"), e.getMessage());
  }

  @Test
  void theOptionsTheSoakSetsItselfAreRefused() {
    for (String option : List.of("--output", "--input=x", "--model", "--run-id")) {
      UserException e = assertThrows(UserException.class, () -> SoakCommand.checkDepthOptions(List.of(option, "x")));
      assertTrue(e.getMessage().startsWith("bench soak sets --"), e.getMessage());
    }
  }

}
