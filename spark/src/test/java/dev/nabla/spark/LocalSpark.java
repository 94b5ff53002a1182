package dev.nabla.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's Spark context on a local master, started before its tests and stopped after them (with the models
 * that its executors cached), as Spark's own tests share one context per suite:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalSpark spark = new LocalSpark("local[2]");
 * ... new SparkTrainer(spark.context(), model) ...
 * }</pre>
 */
final class LocalSpark implements BeforeAllCallback, AfterAllCallback {
    private final String master;
    private JavaSparkContext context;

    LocalSpark(String master) {
        this.master = master;
    }

    JavaSparkContext context() {
        return context;
    }

    @Override
    public void beforeAll(ExtensionContext extension) {
        context = new JavaSparkContext(Fixtures.conf(master));
    }

    @Override
    public void afterAll(ExtensionContext extension) {
        context.stop();
        ExecutorModels.clear();
    }
}
