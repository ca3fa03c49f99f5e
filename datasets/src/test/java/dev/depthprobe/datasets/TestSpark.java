package dev.depthprobe.datasets;

import org.apache.spark.sql.SparkSession;

/** The local session each test class starts once in {@code @BeforeAll} and stops in {@code @AfterAll}. */
final class TestSpark {
  private TestSpark() {}

  static SparkSession start(Class<?> testClass) {
    return SparkSession.builder()
        .master("local[2]")
        .appName(testClass.getSimpleName())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }
}
