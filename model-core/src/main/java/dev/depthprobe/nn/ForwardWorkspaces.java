package dev.depthprobe.nn;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J workspaces of one GLPN forward pass. Arrays created while {@link #activations()} is open
 * (encoder and decoder outputs) live until the pass ends; each block runs inside {@link #block()},
 * whose memory the next block reuses, and hands its result on with {@link #keep}. Workspaces belong to
 * the calling thread and keep their memory for its next pass, so a warm thread allocates nothing and
 * never waits for the garbage collector to free native memory.
 */
public final class ForwardWorkspaces {
  private static final String ACTIVATIONS = "glpn-activations";
  private static final String BLOCK = "glpn-block";
  private static final String BAND = "glpn-band";
  private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
      .initialSize(0)
      .policyAllocation(AllocationPolicy.STRICT)
      .policyLearning(LearningPolicy.FIRST_LOOP)
      .policyReset(ResetPolicy.BLOCK_LEFT)
      .policySpill(SpillPolicy.REALLOCATE)
      .build();

  private ForwardWorkspaces() {}

  public static MemoryWorkspace activations() {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, ACTIVATIONS);
  }

  public static MemoryWorkspace block() {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, BLOCK);
  }

  /** The temporaries of one band of rows of a convolution (see {@link RowBands}), inside or outside a block. */
  public static MemoryWorkspace band() {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, BAND);
  }

  /** {@code x} moved out of the block workspace into the activations (or detached outside a pass). */
  public static INDArray keep(INDArray x) {
    return x.leverageOrDetach(ACTIVATIONS);
  }
}
