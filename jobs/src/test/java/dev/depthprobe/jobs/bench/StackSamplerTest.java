package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackSamplerTest {
  private static final List<StackSampler.Part> PARTS = List.of(
      new StackSampler.Part("encoder/attention", "m.Attention"),
      new StackSampler.Part("encoder/rest", "m.Encoder"));

  @Test
  void creditsTheInnermostFrameOfAPart() {
    StackTraceElement[] stack = {frame("org.nd4j.Native"), frame("m.Attention"), frame("m.Encoder"), frame("Main")};
    assertEquals("encoder/attention", StackSampler.attribute(stack, PARTS));
  }

  @Test
  void nestedClassesAndLambdasBelongToTheirOuterClass() {
    StackTraceElement[] stack = {frame("m.Encoder$$Lambda$12"), frame("Main")};
    assertEquals("encoder/rest", StackSampler.attribute(stack, PARTS));
  }

  @Test
  void framesOutsideEveryPartAreOther() {
    StackTraceElement[] stack = {frame("m.EncoderLike"), frame("Main")};
    assertEquals(TimeShares.OTHER, StackSampler.attribute(stack, PARTS));
  }

  @Test
  void samplesARunningPass() {
    TimeShares shares = StackSampler.sample(StackSamplerTest::spin, List.of(
        new StackSampler.Part("spin", StackSamplerTest.class.getName())));
    assertTrue(shares.total() > 0);
    assertTrue(shares.fraction("spin") > 0.5, shares::describe);
    assertTrue(shares.seconds() >= 0.1);
  }

  private static void spin() {
    long end = System.nanoTime() + 150_000_000L;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  private static StackTraceElement frame(String className) {
    return new StackTraceElement(className, "forward", null, -1);
  }
}
