package dev.depthprobe.jobs.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Classification metrics of the probe from the counts of (true label, predicted label) pairs:
 * accuracy, per-class precision, recall and F1 (0 where a class is never predicted or never true,
 * as scikit-learn's {@code zero_division=0}), and the confusion matrix (rows: true label, columns:
 * predicted label, labels sorted).
 */
public record ProbeMetrics(long total, long correct, List<String> labels, long[][] confusion) {

  /** One label's figures. */
  public record ClassMetrics(double precision, double recall, double f1, long support) {}

  /** @param pairCounts how many rows have each true label (outer key) and predicted label (inner key) */
  public static ProbeMetrics fromPairCounts(Map<String, Map<String, Long>> pairCounts) {
    TreeSet<String> labels = new TreeSet<>(pairCounts.keySet());
    pairCounts.values().forEach(row -> labels.addAll(row.keySet()));
    List<String> sorted = new ArrayList<>(labels);
    long[][] confusion = new long[sorted.size()][sorted.size()];
    long total = 0;
    long correct = 0;
    for (var row : pairCounts.entrySet()) {
      int i = sorted.indexOf(row.getKey());
      for (var cell : row.getValue().entrySet()) {
        int j = sorted.indexOf(cell.getKey());
        confusion[i][j] += cell.getValue();
        total += cell.getValue();
        if (i == j) {
          correct += cell.getValue();
        }
      }
    }
    return new ProbeMetrics(total, correct, List.copyOf(sorted), confusion);
  }

  /** Correct predictions over all predictions; NaN when there are none. */
  public double accuracy() {
    return total == 0 ? Double.NaN : (double) correct / total;
  }

  /** Per label, in label order. */
  public Map<String, ClassMetrics> perClass() {
    Map<String, ClassMetrics> out = new LinkedHashMap<>();
    for (int c = 0; c < labels.size(); c++) {
      long truePositives = confusion[c][c];
      long actual = 0;
      long predicted = 0;
      for (int k = 0; k < labels.size(); k++) {
        actual += confusion[c][k];
        predicted += confusion[k][c];
      }
      double precision = ratio(truePositives, predicted);
      double recall = ratio(truePositives, actual);
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      out.put(labels.get(c), new ClassMetrics(precision, recall, f1, actual));
    }
    return out;
  }

  /** The unweighted mean of the per-class F1. */
  public double macroF1() {
    return perClass().values().stream().mapToDouble(ClassMetrics::f1).average().orElse(Double.NaN);
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0 : (double) numerator / denominator;
  }
}
