package dev.depthprobe.udfs.partition;

import dev.depthprobe.admission.Admission;
import dev.depthprobe.admission.CostModel;
import dev.depthprobe.admission.ResourceEstimate;
import dev.depthprobe.admission.TaskBudget;
import dev.depthprobe.image.ImageHeader;
import dev.depthprobe.image.ImageLoader;

/**
 * One task's admission of its images, before any pixel is decoded: the header's size through the model's
 * {@link CostModel} (the image alone, as its single-image retry would run it) against the task's
 * {@link TaskBudget}. An image whose header cannot be read, or whose size the processor refuses, is admitted:
 * decoding or preprocessing then names the problem.
 */
record ImageAdmission(CostModel costModel, TaskBudget budget, int threads) {

  /** Null when the image may go on, else why not (one line, without the {@code resource:} kind). */
  String refusal(InputImage in) {
    byte[] bytes = in.content();
    if (bytes == null || bytes.length == 0) {
      return null;
    }
    ResourceEstimate need;
    String image;
    try {
      ImageHeader header = ImageLoader.probe(bytes, in.imageId());
      image = in.imageId() + " " + header.uprightWidth() + "x" + header.uprightHeight();
      need = costModel.estimate(header, 1, threads);
    } catch (RuntimeException e) { // an unreadable header, a size the processor refuses: the later steps name it
      return null;
    }
    Admission decision = budget.admit(image, need);
    return decision.admitted() ? null : decision.message();
  }
}
