package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every option of every command is in its {@code --help} and in the README, so neither drifts from the code. */
class CliOptionsTest {
  private static final Path README = Path.of("../README.md");

  @Test
  void everyOptionOfEveryCommandIsInItsHelpWithADescription() {
    for (Map.Entry<String, CommandLine> command : new Main().newCommandLine().getSubcommands().entrySet()) {
      StringWriter out = new StringWriter();
      CommandLine cl = new Main().newCommandLine();
      cl.setOut(new PrintWriter(out));

      int code = cl.execute(command.getKey(), "--help");

      assertEquals(ExitCodes.OK, code, command.getKey());
      for (OptionSpec option : command.getValue().getCommandSpec().options()) {
        assertTrue(out.toString().contains(option.longestName()), command.getKey() + " --help lacks "
            + option.longestName());
        assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
            command.getKey() + " " + option.longestName() + " has no description");
      }
    }
  }

  @Test
  void everyOptionOfEveryCommandIsInTheReadme() throws IOException {
    String readme = Files.readString(README);
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, CommandLine> command : new Main().newCommandLine().getSubcommands().entrySet()) {
      assertTrue(readme.contains("depthprobe " + command.getKey()), "README lacks the command " + command.getKey());
      for (OptionSpec option : command.getValue().getCommandSpec().options()) {
        if (!option.usageHelp() && !option.versionHelp() && !readme.contains(option.longestName())) {
          missing.add(command.getKey() + " " + option.longestName());
        }
      }
    }
    assertEquals(List.of(), missing, "options the README does not mention");
  }
}
