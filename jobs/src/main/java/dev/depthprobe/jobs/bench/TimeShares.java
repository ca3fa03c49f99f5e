package dev.depthprobe.jobs.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where one forward pass spent its time: stack samples per part of the model, in part order, with
 * {@link #OTHER} for samples in none of them. Labels {@code group/name} are shown grouped.
 */
public record TimeShares(Map<String, Integer> samples, double seconds) {
  public static final String OTHER = "other";

  public TimeShares {
    samples = Collections.unmodifiableMap(new LinkedHashMap<>(samples));
  }

  public int total() {
    return samples.values().stream().mapToInt(Integer::intValue).sum();
  }

  public double fraction(String label) {
    int total = total();
    return total == 0 ? 0 : samples.getOrDefault(label, 0) / (double) total;
  }

  /** Fractions by label, in part order. */
  public Map<String, Double> fractions() {
    Map<String, Double> out = new LinkedHashMap<>();
    samples.keySet().forEach(label -> out.put(label, fraction(label)));
    return out;
  }

  /** e.g. {@code encoder 80% (attention 30%, mix-ffn 45%, rest 5%), decoder 5%, head 15%}. */
  public String describe() {
    Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
    fractions().forEach((label, fraction) -> {
      int slash = label.indexOf('/');
      String group = slash < 0 ? label : label.substring(0, slash);
      groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(slash < 0 ? "" : label.substring(slash + 1), fraction);
    });
    return groups.entrySet().stream().map(group -> {
      Map<String, Double> parts = group.getValue();
      double sum = parts.values().stream().mapToDouble(Double::doubleValue).sum();
      String head = group.getKey() + " " + percent(sum);
      if (parts.size() == 1 && parts.containsKey("")) {
        return head;
      }
      return head + " (" + parts.entrySet().stream().map(p -> p.getKey() + " " + percent(p.getValue()))
          .collect(Collectors.joining(", ")) + ")";
    }).collect(Collectors.joining(", "));
  }

  private static String percent(double fraction) {
    return Math.round(fraction * 100) + "%";
  }
}
