package dev.depthprobe.jobs.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The depth job's rows joined against its input on image_id: rows in and out, rows by status and by error kind (the
 * error's text before its first colon, as the job's summary counts them), and every input without its row, every
 * image_id with more than one row, and every row that names no input.
 */
public record SoakRows(int rowsIn, int rowsOut, Map<String, Long> byStatus, Map<String, Long> byErrorKind,
    Set<String> missing, Set<String> duplicated, Set<String> unexpected) {

  /** The columns of one output row that the check reads. */
  public record Row(String imageId, String status, String error) {}

  public static SoakRows check(Collection<String> inputIds, List<Row> rows) {
    Map<String, Long> byStatus = new TreeMap<>();
    Map<String, Long> byErrorKind = new TreeMap<>();
    Map<String, Integer> rowsPerId = new HashMap<>();
    for (Row row : rows) {
      byStatus.merge(String.valueOf(row.status()), 1L, Long::sum);
      if (!"ok".equals(row.status())) {
        byErrorKind.merge(kind(row.error()), 1L, Long::sum);
      }
      rowsPerId.merge(row.imageId(), 1, Integer::sum);
    }
    Set<String> inputs = Set.copyOf(inputIds);
    Set<String> missing = inputs.stream().filter(id -> !rowsPerId.containsKey(id))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> duplicated = rowsPerId.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> unexpected = rowsPerId.keySet().stream().filter(id -> !inputs.contains(id))
        .collect(Collectors.toCollection(TreeSet::new));
    return new SoakRows(inputIds.size(), rows.size(), byStatus, byErrorKind, missing, duplicated, unexpected);
  }

  /** Exactly one row for every input and none for anything else. */
  public boolean oneRowPerInput() {
    return missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty() && rowsIn == rowsOut;
  }

  private static String kind(String error) {
    if (error == null) {
      return "unknown";
    }
    int colon = error.indexOf(':');
    return colon < 0 ? error : error.substring(0, colon);
  }
}
