package dev.depthprobe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depthprobe.jobs.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/airflow: the DAG's spark-submit argument lists (depthprobe_jobs.json, which the DAG reads) pass
 * each command's --dry-run, and the DAG file builds one SparkSubmitOperator per list (checked with
 * stand-in Airflow classes, so Airflow need not be installed).
 */
class AirflowDagTest {
  private static final Path AIRFLOW = Path.of("../conf/airflow");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{ *(ds|params\\.(\\w+)) *}}");
  private static final String DS = "2025-01-15";
  private static SparkCli cli;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void startSpark() {
    cli = SparkCli.start(AirflowDagTest.class);
  }

  @AfterAll
  static void stopSpark() {
    cli.close();
  }

  /** What an operator puts in the DAG's PARAMS, here pointing at the repository's samples. */
  private static Map<String, String> params() throws IOException {
    Path models = Files.createDirectories(tmp.resolve("models"));
    copyFolder(Path.of("../jobs/src/main/resources/sample-model/glpn-tiny"), models.resolve("glpn-tiny"));
    copyFolder(Path.of("../jobs/src/main/resources/sample-model/imagegpt-tiny"), models.resolve("imagegpt-tiny"));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("depth_images", Path.of("../datasets/src/main/resources/sample").toAbsolutePath().toString());
    params.put("probe_images", Path.of("../datasets/src/test/resources/cifar10/png").toAbsolutePath().toString());
    params.put("models", models.toString());
    params.put("depth_model", "glpn-tiny");
    params.put("features_model", "imagegpt-tiny");
    params.put("probe_layer", "2");
    params.put("output", tmp.resolve("output").toString());
    return params;
  }

  private static JsonNode jobs() throws IOException {
    return JSON.readTree(AIRFLOW.resolve("depthprobe_jobs.json").toFile()).path("jobs");
  }

  /** As Airflow renders application_args: {@code {{ ds }}} and {@code {{ params.NAME }}}. */
  static List<String> render(JsonNode args, Map<String, String> params) {
    List<String> out = new ArrayList<>();
    for (JsonNode arg : args) {
      Matcher m = TEMPLATE.matcher(arg.asText());
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String value = m.group(2) == null ? DS : params.get(m.group(2));
        assertTrue(value != null, "no param for " + m.group());
        m.appendReplacement(sb, Matcher.quoteReplacement(value));
      }
      m.appendTail(sb);
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void everyDagCommandPassesItsDryRun() throws IOException {
    Map<String, String> params = params();
    Map<String, List<String>> commands = new LinkedHashMap<>();
    jobs().forEach(job -> commands.put(job.path("task_id").asText(), render(job.path("args"), params)));

    assertEquals(List.of("depth", "features_train", "features_test", "probe"), List.copyOf(commands.keySet()));
    for (Map.Entry<String, List<String>> command : commands.entrySet()) {
      if (command.getKey().startsWith("features")) {
        // the probe's dry run reads the feature tables: make them, from a few images
        assertEquals(ExitCodes.OK, cli.run(with(command.getValue(), "--limit", "12")).code(), command.getKey());
      }
    }
    for (Map.Entry<String, List<String>> command : commands.entrySet()) {
      SparkCli.Result dryRun = cli.run(with(command.getValue(), "--dry-run"));
      assertEquals(ExitCodes.OK, dryRun.code(), command.getKey() + ": " + dryRun.err());
      assertTrue(command.getValue().containsAll(List.of("--run-id", DS)), command.getKey() + " takes the logical date");
    }
  }

  @Test
  void theDagFileMakesOneSparkSubmitPerCommandChainedWithoutSensors() throws Exception {
    JsonNode dag = renderDagWithStandInAirflow();
    JsonNode tasks = dag.path("tasks");

    assertEquals("depthprobe", dag.path("dag_id").asText());
    assertEquals(List.of("depth", "features_train", "features_test", "probe"), fieldNames(tasks));
    for (JsonNode job : jobs()) {
      JsonNode task = tasks.path(job.path("task_id").asText());
      assertEquals("SparkSubmitOperator", task.path("operator").asText());
      assertEquals(job.path("args"), task.path("application_args"), "the DAG passes the JSON's arguments");
      assertEquals(job.path("upstream"), task.path("upstream"));
      assertEquals("dev.depthprobe.jobs.Submit", task.path("java_class").asText());
      assertTrue(task.path("application").asText().endsWith("depthprobe-jobs.jar"));
      assertTrue(task.path("properties_file").asText().matches(".*/conf/spark-(gpu|cpu)\\.conf"));
      assertTrue(task.path("retries").asInt() >= 1, "retries");
      assertFalse(task.path("conn_id").asText().isEmpty());
    }
  }

  /** Runs the DAG file with stand-in airflow modules that record each operator; returns the record. */
  private static JsonNode renderDagWithStandInAirflow() throws Exception {
    assumeTrue(python3Available(), "python3 is not installed");
    Path stubs = Files.createDirectories(tmp.resolve("airflow-stubs"));
    Path operators = Files.createDirectories(stubs.resolve("airflow/providers/apache/spark/operators"));
    for (Path p = operators; !p.equals(stubs); p = p.getParent()) {
      if (!Files.exists(p.resolve("__init__.py"))) {
        Files.writeString(p.resolve("__init__.py"), "");
      }
    }
    Files.writeString(stubs.resolve("airflow/__init__.py"), """
        class DAG:
            current = None
            def __init__(self, dag_id, default_args=None, **kwargs):
                self.dag_id, self.default_args, self.kwargs, self.tasks = dag_id, default_args or {}, kwargs, {}
            def __enter__(self):
                DAG.current = self
                return self
            def __exit__(self, *exc):
                DAG.current = None
        """);
    Files.writeString(operators.resolve("spark_submit.py"), """
        from airflow import DAG
        class SparkSubmitOperator:
            def __init__(self, task_id, **kwargs):
                dag = DAG.current
                self.task_id, self.kwargs, self.upstream = task_id, {**dag.default_args, **kwargs}, []
                dag.tasks[task_id] = self
            def __rshift__(self, other):
                other.upstream.append(self.task_id)
                return other
        """);
    Path harness = stubs.resolve("render_dag.py");
    Files.writeString(harness, """
        import importlib.util, json, sys
        spec = importlib.util.spec_from_file_location("depthprobe_dag", sys.argv[1])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        dag = module.dag
        tasks = {}
        for task_id, t in dag.tasks.items():
            record = {k: v for k, v in t.kwargs.items() if isinstance(v, (str, int, list))}
            record.update(operator=type(t).__name__, upstream=t.upstream)
            tasks[task_id] = record
        print(json.dumps({"dag_id": dag.dag_id, "tasks": tasks}))
        """);
    ProcessBuilder pb = new ProcessBuilder("python3", harness.toString(),
        AIRFLOW.resolve("depthprobe_dag.py").toAbsolutePath().toString());
    pb.environment().put("PYTHONPATH", stubs.toString());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process process = pb.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), err);
    return JSON.readTree(out);
  }

  private static boolean python3Available() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String[] with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static void copyFolder(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName().toString()));
      }
    }
  }
}
