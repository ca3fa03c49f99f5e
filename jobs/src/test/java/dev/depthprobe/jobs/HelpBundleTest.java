package dev.depthprobe.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The help bundle ({@code Help.properties}) gives every command and argument its help, and holds nothing else. */
class HelpBundleTest {
  private static final ResourceBundle BUNDLE = ResourceBundle.getBundle("dev.depthprobe.jobs.Help");
  private static final Pattern NUMBERED = Pattern.compile("\\.\\d+$");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{bundle:([^}]+)}");

  @Test
  void everyCommandOptionAndParameterOfTheTreeHasHelp() {
    for (CommandSpec command : commands()) {
      String name = command.qualifiedName();
      assertTrue(hasText(command.usageMessage().description()), name + " has no description");
      for (ArgSpec arg : command.args()) {
        assertTrue(hasText(arg.description()), name + " " + label(arg) + " has no help");
      }
    }
  }

  @Test
  void everyKeyOfTheBundleIsShownByACommand() {
    Set<String> shown = new HashSet<>();
    for (CommandSpec command : commands()) {
      String prefix = command.qualifiedName(".") + ".";
      shown.add(prefix + "usage.description");
      for (ArgSpec arg : command.args()) {
        String key = key(arg);
        shown.add(BUNDLE.containsKey(prefix + key) || BUNDLE.containsKey(prefix + key + ".0") ? prefix + key : key);
      }
    }
    for (String key : BUNDLE.keySet()) {
      Matcher references = REFERENCE.matcher(BUNDLE.getString(key));
      while (references.find()) {
        shown.add(references.group(1));
      }
    }
    List<String> unused = new ArrayList<>();
    for (String key : BUNDLE.keySet()) {
      if (!shown.contains(NUMBERED.matcher(key).replaceFirst(""))) {
        unused.add(key);
      }
    }
    assertEquals(List.of(), unused, "keys no command shows (a typo, or an option that is gone)");
  }

  @Test
  void sparkSubmitsEntryPointShowsTheSameHelp() {
    List<CommandSpec> main = commands();
    List<CommandSpec> submit = new ArrayList<>();
    collect(new Submit().newCommandLine(), submit);

    assertEquals(main.size(), submit.size());
    for (int i = 0; i < main.size(); i++) {
      assertEquals(usage(main.get(i)), usage(submit.get(i)), main.get(i).qualifiedName());
    }
  }

  private static String usage(CommandSpec command) {
    return command.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  private static List<CommandSpec> commands() {
    List<CommandSpec> all = new ArrayList<>();
    collect(new Main().newCommandLine(), all);
    return all;
  }

  private static void collect(CommandLine cl, List<CommandSpec> all) {
    all.add(cl.getCommandSpec());
    cl.getSubcommands().values().forEach(sub -> collect(sub, all));
  }

  /** The key picocli looks up: the descriptionKey, else an option's longest name without its dashes. */
  private static String key(ArgSpec arg) {
    if (!arg.descriptionKey().isEmpty() || !(arg instanceof OptionSpec option)) {
      return arg.descriptionKey();
    }
    return option.longestName().replaceFirst("^-+", "");
  }

  private static String label(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }

  private static boolean hasText(String[] text) {
    return text.length > 0 && !text[0].isBlank();
  }
}
