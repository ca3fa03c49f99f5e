package dev.depthprobe.jobs;

import dev.depthprobe.datasets.InputSchema;
import dev.depthprobe.errors.Messages;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Reads a job's input and checks it has the input schema; an unreadable input is a user error. */
final class InputReading {
  private InputReading() {
  }

  static Dataset<Row> read(String input, Callable<Dataset<Row>> reader) throws Exception {
    try {
      Dataset<Row> images = reader.call();
      InputSchema.validate(images.schema());
      return images;
    } catch (Exception e) {
      if (e instanceof AnalysisException || e instanceof IllegalArgumentException
          || e instanceof UncheckedIOException) {
        throw new UserException("--input " + input + ": " + Messages.oneLine(e));
      }
      throw e;
    }
  }
}
