package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.nn.Model;
import dev.nabla.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Spark SQL {@code Dataset<Row>} with an array column of features and a label column trains as the
 * same samples given as a {@code JavaRDD<Sample>} do; columns that are missing or of another type are
 * refused by name.
 */
class DataFrameInputTest {
    static SparkSession spark;
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().config(Fixtures.conf("local[2]")).getOrCreate();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
        ExecutorModels.clear();
    }

    static Dataset<Row> frame(List<Sample> samples) {
        List<Row> rows = new ArrayList<>();
        for (Sample s : samples) {
            List<Double> x = new ArrayList<>();
            for (float v : s.features()) {
                x.add((double) v);
            }
            rows.add(RowFactory.create(x, (int) s.target()[0]));
        }
        StructType schema = new StructType()
                .add("pixels", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add("label", DataTypes.IntegerType, false);
        return spark.createDataFrame(rows, schema).repartition(1).coalesce(1);
    }

    @Test
    void rowsWithAnArrayOfFeaturesAndALabelTrainAsTheSameSamples() {
        List<Sample> samples = Fixtures.blobs(64);
        try (Model fromRows = Fixtures.model(() -> new SGD(0.1), null);
                Model fromSamples = Fixtures.model(() -> new SGD(0.1), fromRows)) {
            SparkTrainer a = new SparkTrainer(sc, fromRows).batchSize(8).seed(1).verbose(0);
            SparkTrainer b =
                    new SparkTrainer(sc, fromSamples).batchSize(8).seed(1).verbose(0);
            a.fit(frame(samples), "pixels", "label");
            b.fit(sc.parallelize(samples, 1));
            List<float[]> expected = fromSamples.getWeights();
            List<float[]> actual = fromRows.getWeights();
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), actual.get(i), 1e-6f, "weight " + i);
            }
        }
    }

    @Test
    void aMissingOrMistypedColumnIsRefusedByName() {
        Dataset<Row> rows = frame(Fixtures.blobs(8));
        assertEquals(
                "the data has no label column 'y'; its columns are [pixels, label]",
                assertThrows(IllegalArgumentException.class, () -> SparkTrainer.samples(rows, "pixels", "y"))
                        .getMessage());
        assertEquals(
                "features column 'label' is of type int; expected an array of numbers",
                assertThrows(IllegalArgumentException.class, () -> SparkTrainer.samples(rows, "label", "label"))
                        .getMessage());
    }

    @Test
    void aPartitionSmallerThanTheBatchIsRefused() {
        try (Model model = Fixtures.model(() -> new SGD(0.1), null)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new SparkTrainer(sc, model)
                            .batchSize(40)
                            .verbose(0)
                            .fit(sc.parallelize(Fixtures.blobs(64), 2)));
            assertEquals(
                    "partition 0 holds 32 samples; expected at least batchSize 40 in every partition "
                            + "(repartition the data or lower the batch size)",
                    e.getMessage());
        }
    }
}
