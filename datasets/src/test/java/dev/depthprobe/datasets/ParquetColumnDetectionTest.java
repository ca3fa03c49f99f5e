package dev.depthprobe.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ParquetColumnDetectionTest {
  private static final StructType HF_IMAGE = new StructType()
      .add("bytes", DataTypes.BinaryType).add("path", DataTypes.StringType);
  private static final HuggingFaceFeatures CIFAR = HuggingFaceFeatures.parse("""
      {"info": {"features": {"img": {"_type": "Image"},
                             "label": {"names": ["airplane", "automobile"], "_type": "ClassLabel"}}}}""");

  @Test
  void theImageFeatureOfTheDescriptionIsTheImageColumnAmongSeveralBinaryOnes() {
    StructType schema = new StructType().add("thumbnail", DataTypes.BinaryType).add("img", HF_IMAGE)
        .add("label", DataTypes.LongType);

    assertEquals("img", ParquetColumnDetection.imageColumn(schema, CIFAR, "t"));
  }

  @Test
  void withoutADescriptionTheOneBinaryOrImageStructColumnIsTheImage() {
    StructType schema = new StructType().add("id", DataTypes.StringType).add("picture", HF_IMAGE);

    assertEquals("picture", ParquetColumnDetection.imageColumn(schema, HuggingFaceFeatures.none(), "t"));
  }

  @Test
  void severalOrNoImageColumnsAskForOneByName() {
    StructType two = new StructType().add("a", DataTypes.BinaryType).add("b", HF_IMAGE);
    StructType none = new StructType().add("a", DataTypes.StringType);

    assertEquals("t: several image columns (a, b); pick one with --image-column", assertThrows(
        IllegalArgumentException.class, () -> ParquetColumnDetection.imageColumn(two, HuggingFaceFeatures.none(),
            "t")).getMessage());
    assertEquals("t: no image column (binary or struct<bytes: binary, path: string>); columns are a", assertThrows(
        IllegalArgumentException.class, () -> ParquetColumnDetection.imageColumn(none, HuggingFaceFeatures.none(),
            "t")).getMessage());
  }

  @Test
  void theClassLabelFeatureIsTheLabelColumnWithItsNames() {
    StructType schema = new StructType().add("img", HF_IMAGE).add("label", DataTypes.LongType);

    assertEquals("label", ParquetColumnDetection.labelColumn(schema, CIFAR, "t"));
    assertEquals(List.of("airplane", "automobile"), CIFAR.classNames("label").orElseThrow());
  }

  @Test
  void twoClassLabelsAskForOneAndWithoutAnyAColumnNamedLabelIsTaken() {
    HuggingFaceFeatures cifar100 = HuggingFaceFeatures.parse("""
        {"info": {"features": {"fine_label": {"_type": "ClassLabel", "names": ["apple"]},
                               "coarse_label": {"_type": "ClassLabel", "names": ["fruit"]}}}}""");
    StructType schema = new StructType().add("img", HF_IMAGE).add("fine_label", DataTypes.LongType)
        .add("coarse_label", DataTypes.LongType);

    assertEquals("t: several ClassLabel columns (fine_label, coarse_label); pick one with --label-column",
        assertThrows(IllegalArgumentException.class,
            () -> ParquetColumnDetection.labelColumn(schema, cifar100, "t")).getMessage());
    StructType named = new StructType().add("img", DataTypes.BinaryType).add("label", DataTypes.StringType);
    assertEquals("label", ParquetColumnDetection.labelColumn(named, HuggingFaceFeatures.none(), "t"));
    assertNull(ParquetColumnDetection.labelColumn(new StructType().add("img", DataTypes.BinaryType),
        HuggingFaceFeatures.none(), "t"));
  }

  @Test
  void metadataThatIsNotTheDatasetsDescriptionCountsAsNone() {
    assertEquals(List.of(), HuggingFaceFeatures.parse("not json").columnsOfType(HuggingFaceFeatures.IMAGE));
    assertEquals(List.of(), HuggingFaceFeatures.parse("{\"info\": {}}").columnsOfType(HuggingFaceFeatures.IMAGE));
    assertEquals(List.of(), HuggingFaceFeatures.parse(null).columnsOfType(HuggingFaceFeatures.IMAGE));
  }
}
