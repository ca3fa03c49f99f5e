package dev.depthprobe.jobs.report;

import dev.depthprobe.jobs.SparkCommand;
import dev.depthprobe.jobs.UserException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code depthprobe report}: one self-contained HTML page (and its PNGs) over the outputs of the other jobs. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false)
public final class ReportCommand extends SparkCommand {

  @Option(names = "--run", required = true, paramLabel = "DIR")
  List<String> runs;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "depthprobe-report")
  Path output;

  @Option(names = "--max-images", paramLabel = "N", defaultValue = "24")
  int maxImages;

  @Override
  protected void validate() {
    if (maxImages < 0) {
      throw new UserException("--max-images must be at least 0, got " + maxImages);
    }
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new UserException("--output " + output + ": exists and is not a folder");
    }
    if (Files.isDirectory(output) && !Files.exists(output.resolve(ReportPage.INDEX)) && !isEmpty(output)) {
      throw new UserException("--output " + output + ": is a folder without a report (no " + ReportPage.INDEX
          + "); give a new or empty folder");
    }
    System.setProperty("java.awt.headless", "true");
  }

  @Override
  protected void run(SparkSession spark, PrintWriter out) throws Exception {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    Map<ReportInput.Kind, ReportInput> inputs = new EnumMap<>(ReportInput.Kind.class);
    for (String run : runs) {
      ReportInput input = ReportInput.detect(run, hadoopConf);
      ReportInput earlier = inputs.put(input.kind(), input);
      if (earlier != null) {
        throw new UserException("--run " + run + ": a second " + name(input.kind()) + " (the first is "
            + earlier.path() + "); a report shows one of each");
      }
    }
    clear(output);
    Files.createDirectories(output.resolve("img"));
    List<Html> sections = new ArrayList<>();
    EvaluationSection evaluation = inputs.containsKey(ReportInput.Kind.EVALUATION)
        ? EvaluationSection.read(spark, inputs.get(ReportInput.Kind.EVALUATION), hadoopConf) : null;
    if (inputs.containsKey(ReportInput.Kind.DEPTH)) {
      sections.add(new DepthSection(spark, output).write(inputs.get(ReportInput.Kind.DEPTH), evaluation, maxImages));
    }
    if (evaluation != null) {
      sections.add(evaluation.html());
    }
    if (inputs.containsKey(ReportInput.Kind.FEATURES)) {
      sections.add(FeaturesSection.write(inputs.get(ReportInput.Kind.FEATURES), hadoopConf));
    }
    if (inputs.containsKey(ReportInput.Kind.PROBE)) {
      sections.add(ProbeSection.write(inputs.get(ReportInput.Kind.PROBE), hadoopConf, output));
    }
    Path index = ReportPage.write(output, sections);
    inputs.values().forEach(input -> out.println(name(input.kind()) + ": " + input.path()));
    out.println("Wrote " + index.toAbsolutePath());
  }

  private static String name(ReportInput.Kind kind) {
    return switch (kind) {
      case DEPTH -> "depth run";
      case EVALUATION -> "depth evaluation";
      case FEATURES -> "features run";
      case PROBE -> "probe run";
    };
  }

  /** Deletes an earlier report's files: index.html, the charts beside it and img/. */
  private static void clear(Path folder) throws IOException {
    if (!Files.exists(folder.resolve(ReportPage.INDEX))) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        String name = p.getFileName().toString();
        boolean ours = p.getParent() != null && (p.startsWith(folder.resolve("img")) || name.equals(ReportPage.INDEX)
            || (p.getParent().equals(folder) && name.endsWith(".png")));
        if (ours) {
          Files.delete(p);
        }
      }
    }
  }

  private static boolean isEmpty(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.findAny().isEmpty();
    } catch (IOException e) {
      throw new UserException("--output " + folder + ": cannot be read (" + e.getMessage() + ")");
    }
  }
}
