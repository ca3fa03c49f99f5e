package dev.depthprobe.datasets;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairs input images with depth ground truth by file-name stem ({@code --ground-truth DIR}):
 * {@code 2011_09_26/0000000005.png} gets {@code DIR/.../0000000005.png} or {@code .npy}. Adds
 * {@code depth_gt_path} (null where no file matches) and keeps every input row. Only the listing of
 * {@code DIR} is read here; {@link DepthGroundTruthLoader} reads each file on an executor.
 */
public final class GroundTruthPairing {
  private static final Logger LOG = LoggerFactory.getLogger(GroundTruthPairing.class);
  private static final String GT_STEM = "_depth_gt_stem";
  private static final String INPUT_STEM = "_input_stem";
  private static final String DEPTH_FILE = "(?i)\\.(png|npy)$"; // the regex ignores case: see ImagePaths

  private GroundTruthPairing() {}

  /**
   * Left-joins {@code depth_gt_path} onto {@code inputs}. Throws if {@code inputs} already has that
   * column, or if two ground-truth files share a stem (the pairing would be ambiguous).
   */
  public static Dataset<Row> withDepthGroundTruth(Dataset<Row> inputs, String groundTruthDir) {
    if (InputSchema.hasField(inputs.schema(), InputSchema.DEPTH_GT_PATH)) {
      throw new IllegalArgumentException("Input column '" + InputSchema.DEPTH_GT_PATH + "' already exists");
    }
    Dataset<Row> groundTruth = listGroundTruth(inputs.sparkSession(), groundTruthDir);
    requireUniqueStems(groundTruth, groundTruthDir);
    return inputs
        .withColumn(INPUT_STEM, ImagePaths.stem(col(InputSchema.IMAGE_ID)))
        .join(groundTruth, col(INPUT_STEM).equalTo(col(GT_STEM)), "left")
        .drop(INPUT_STEM, GT_STEM);
  }

  private static Dataset<Row> listGroundTruth(SparkSession spark, String dir) {
    Column path = col("path");
    LOG.info("Pairing depth ground truth from {} by file-name stem", dir);
    SymlinkLoops.refuse(DatasetRoot.resolve(spark, dir));
    return spark.read().format("binaryFile")
        .option("recursiveFileLookup", true)
        .load(dir)
        .where(path.rlike(DEPTH_FILE))
        .select(ImagePaths.stem(path).as(GT_STEM), path.as(InputSchema.DEPTH_GT_PATH));
  }

  private static void requireUniqueStems(Dataset<Row> groundTruth, String dir) {
    List<Row> clashes = groundTruth.groupBy(GT_STEM)
        .agg(count("*").as("files"), collect_list(InputSchema.DEPTH_GT_PATH).as("paths"))
        .where(col("files").gt(1))
        .limit(3)
        .collectAsList();
    if (!clashes.isEmpty()) {
      throw new IllegalArgumentException(dir + ": ground-truth files share a stem, so pairing is ambiguous: "
          + clashes.stream().map(r -> r.getString(0) + " -> " + r.getList(2)).collect(Collectors.joining("; ")));
    }
  }
}
