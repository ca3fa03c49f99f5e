package dev.depthprobe.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakPlanTest {

  @Test
  void theDefaultPlanHasTwoThousandImagesOfWhichOneInAHundredIsLarge() {
    List<SoakPlan.Image> plan = SoakPlan.images(SoakBench.IMAGES, SoakBench.SEED);

    assertEquals(2000, plan.size());
    assertEquals(20, plan.stream().filter(SoakPlan.Image::large).count());
    for (int i = 0; i < plan.size(); i++) {
      assertEquals((i + 1) % 100 == 0, plan.get(i).large(), "image " + i);
    }
  }

  @Test
  void smallImagesLieBetween32x32And1024x768AndLargeOnesUpTo4000x3000() {
    for (SoakPlan.Image image : SoakPlan.images(SoakBench.IMAGES, SoakBench.SEED)) {
      if (image.large()) {
        assertTrue(image.width() > 1024 && image.width() <= 4000, image.toString());
        assertTrue(image.height() > 768 && image.height() <= 3000, image.toString());
      } else {
        assertTrue(image.width() >= 32 && image.width() <= 1024, image.toString());
        assertTrue(image.height() >= 32 && image.height() <= 768, image.toString());
      }
    }
  }

  @Test
  void sizesSpreadOverTheWholeRangeAndBothFormatsAreCommon() {
    List<SoakPlan.Image> plan = SoakPlan.images(SoakBench.IMAGES, SoakBench.SEED);

    assertTrue(plan.stream().anyMatch(i -> i.width() < 64 && i.height() < 64), "some near 32x32");
    assertTrue(plan.stream().anyMatch(i -> !i.large() && i.width() > 960 && i.height() > 704), "some near 1024x768");
    assertTrue(plan.stream().anyMatch(i -> i.width() > 3500 && i.height() > 2500), "some near 4000x3000");
    long jpegs = plan.stream().filter(i -> i.format() == SoakPlan.Format.JPEG).count();
    assertTrue(jpegs > 900 && jpegs < 1100, jpegs + " JPEGs of 2000");
  }

  @Test
  void theSameSeedGivesTheSamePlanAndAShorterPlanIsItsPrefix() {
    List<SoakPlan.Image> plan = SoakPlan.images(300, 7);

    assertEquals(plan, SoakPlan.images(300, 7));
    assertEquals(plan.subList(0, 40), SoakPlan.images(40, 7));
    assertNotEquals(plan, SoakPlan.images(300, 8));
  }

  @Test
  void namesAreUniqueAndCarryTheSizeAndFormat() {
    List<SoakPlan.Image> plan = SoakPlan.images(SoakBench.IMAGES, SoakBench.SEED);

    assertEquals(plan.size(), new HashSet<>(plan.stream().map(SoakPlan.Image::name).toList()).size());
    SoakPlan.Image first = plan.get(0);
    assertEquals(String.format("soak_00000_%dx%d.%s", first.width(), first.height(), first.format().extension()),
        first.name());
  }

  @Test
  void fewerThanAHundredImagesHaveNoLargeOne() {
    assertEquals(0, SoakPlan.images(40, SoakBench.SEED).stream().filter(SoakPlan.Image::large).count());
    assertEquals(3, SoakPlan.images(300, SoakBench.SEED).stream().filter(SoakPlan.Image::large).count());
  }
}
