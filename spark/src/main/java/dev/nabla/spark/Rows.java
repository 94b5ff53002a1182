package dev.nabla.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Samples from a Spark SQL {@code Dataset<Row>}: an array column of features and a label column. */
final class Rows {
    private Rows() {}

    static JavaRDD<Sample> samples(org.apache.spark.sql.Dataset<Row> rows, String featuresColumn, String labelColumn) {
        StructType schema = rows.schema();
        DataType features = type(schema, featuresColumn, "features");
        DataType label = type(schema, labelColumn, "label");
        if (!(features instanceof ArrayType a && a.elementType() instanceof NumericType)) {
            throw new IllegalArgumentException("features column '" + featuresColumn + "' is of type "
                    + features.simpleString() + "; expected an array of numbers");
        }
        boolean labelIsArray = label instanceof ArrayType la && la.elementType() instanceof NumericType;
        if (!labelIsArray && !(label instanceof NumericType)) {
            throw new IllegalArgumentException("label column '" + labelColumn + "' is of type " + label.simpleString()
                    + "; expected a number or an array of numbers");
        }
        return rows.select(featuresColumn, labelColumn).toJavaRDD().map(row -> {
            if (row.isNullAt(0) || row.isNullAt(1)) {
                throw new IllegalArgumentException("a row has a null " + (row.isNullAt(0) ? "features" : "label")
                        + " value; expected every row to have both");
            }
            float[] x = floats(row.getList(0));
            float[] y = labelIsArray ? floats(row.getList(1)) : new float[] {((Number) row.get(1)).floatValue()};
            return new Sample(x, y);
        });
    }

    private static DataType type(StructType schema, String column, String what) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(column)) {
                return f.dataType();
            }
        }
        throw new IllegalArgumentException("the data has no " + what + " column '" + column + "'; its columns are "
                + Arrays.toString(schema.fieldNames()));
    }

    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = values.get(i);
            if (v == null) {
                throw new IllegalArgumentException("value " + i + " of an array is null; expected numbers only");
            }
            out[i] = ((Number) v).floatValue();
        }
        return out;
    }
}
