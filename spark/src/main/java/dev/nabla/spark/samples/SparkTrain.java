package dev.nabla.spark.samples;

import dev.nabla.data.Dataset;
import dev.nabla.data.FashionMnist;
import dev.nabla.data.TrainTest;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.Model;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.spark.Sample;
import dev.nabla.spark.SparkHistory;
import dev.nabla.spark.SparkTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The deep MLP of the course examples (784-1024-512-512 relu-10 softmax, Adam 1e-4) on Fashion-MNIST,
 * trained data-parallel by {@link SparkTrainer} in Spark local mode ({@code local[2]}) or on the master
 * given; prints a line per round and per epoch, then the test accuracy. {@code samples/bin/nabla-spark-train}
 * runs it; {@code --help} lists the options. Exit codes: 0 ok, 2 bad arguments, 3 data missing.
 *
 * <pre>{@code
 * samples/bin/nabla-spark-train --epochs 3 --local-steps 4
 * samples/bin/nabla-spark-train --single --epochs 3      # the same network by Model.fit, for comparison
 * }</pre>
 */
public final class SparkTrain {
    static final String USAGE = """
            usage: nabla-spark-train [options]
              --master URL        Spark master (default local[2]; spark-submit's --master takes precedence)
              --data DIR          Fashion-MNIST IDX files (default %s)
              --epochs N          epochs (default 3)
              --partitions P      data partitions = parallel tasks (default 2)
              --batch-size B      samples per partition and step (default 64: a global batch of P x B)
              --local-steps K     steps per partition between two averages (default 4)
              --learning-rate LR  Adam's learning rate (default 1e-4, the deep-mlp preset's)
              --seed S            initial weights and shuffles (default 42)
              --limit N           train on the first N training samples only (default all)
              --checkpoint FILE   save after every round; an existing FILE is resumed
              --backend NAME      the executors' backend: cpu (default), cuda, opencl, auto
              --verbose V         1: a line per round and epoch (default); 2: per epoch; 0: silent
              --single            train in this process with Model.fit (batch P x B) instead, to compare
            """;

    private SparkTrain() {}

    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("nabla-spark-train: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(String.format(Locale.ROOT, USAGE, FashionMnist.DEBIAN_DIR));
            return;
        }
        TrainTest data;
        try {
            data = FashionMnist.load(o.data).flatten();
        } catch (IOException e) {
            System.err.println("nabla-spark-train: cannot read Fashion-MNIST from " + o.data + ": " + e.getMessage()
                    + "; expected the four IDX files (apt-get install dataset-fashion-mnist) or --data DIR");
            System.exit(3);
            return;
        }
        Dataset train =
                o.limit > 0 && o.limit < data.train().size() ? data.train().slice(0, o.limit) : data.train();
        Dataset test = data.test();

        RandomSeed.set(o.seed);
        try (Model model = deepMlp(o.learningRate)) {
            long start = System.nanoTime();
            if (o.single) {
                System.out.printf(
                        Locale.ROOT,
                        "Model.fit in this process: %d samples, batch %d, %d epochs%n",
                        train.size(),
                        o.partitions * o.batchSize,
                        o.epochs);
                model.fit(
                        train,
                        new FitOptions()
                                .batchSize(o.partitions * o.batchSize)
                                .epochs(o.epochs)
                                .seed(o.seed)
                                .verbose(2));
            } else {
                SparkConf conf = new SparkConf().setAppName("nabla-spark-train");
                if (!conf.contains("spark.master")) {
                    conf.setMaster(o.master);
                }
                conf.setIfMissing("spark.ui.showConsoleProgress", "false");
                try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                    System.out.printf(
                            Locale.ROOT,
                            "Spark %s, master %s: %d training samples in %d partitions%n",
                            sc.version(),
                            sc.master(),
                            train.size(),
                            o.partitions);
                    SparkTrainer trainer = new SparkTrainer(sc, model)
                            .batchSize(o.batchSize)
                            .localSteps(o.localSteps)
                            .epochs(o.epochs)
                            .seed(o.seed)
                            .executorBackend(o.backend)
                            .verbose(o.verbose);
                    if (o.checkpoint != null) {
                        trainer.checkpoint(o.checkpoint);
                    }
                    SparkHistory h = trainer.fit(shards(sc, o.data, train.size(), o.partitions));
                    double rounds = h.rounds().size();
                    if (rounds > 0) {
                        System.out.printf(
                                Locale.ROOT,
                                "%d rounds: %.3f s a round on average, of which %.3f s training (slowest task); "
                                        + "%.1f MB of weights and optimizer state to and from each partition%n",
                                h.rounds().size(),
                                h.rounds().stream()
                                                .mapToDouble(r -> r.seconds())
                                                .sum()
                                        / rounds,
                                h.rounds().stream()
                                                .mapToDouble(r -> r.computeSeconds())
                                                .sum()
                                        / rounds,
                                h.rounds().get(h.rounds().size() - 1).floatsPerPartition() * 4 / 1e6);
                    }
                }
            }
            Map<String, Double> scores = model.evaluate(test, 256, 0);
            System.out.printf(
                    Locale.ROOT,
                    "test accuracy: %.2f %% (loss %.4f) after %d epochs, %.1f s%n",
                    100 * scores.get("accuracy"),
                    scores.get("loss"),
                    o.epochs,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /** 784-1024-512-512 relu-10 softmax, sparse categorical cross-entropy (integer labels), Adam. */
    static Model deepMlp(double learningRate) {
        Sequential model = new Sequential(
                new Input(784),
                new Dense(1024, "relu"),
                new Dense(512, "relu"),
                new Dense(512, "relu"),
                new Dense(10, "softmax"));
        model.compile(new Adam(learningRate), new SparseCategoricalCrossentropy(), "accuracy");
        model.build(784);
        return model;
    }

    /**
     * The first {@code n} training samples in {@code partitions} contiguous slices, each read from the IDX
     * files by its own task, as a cluster job reads its input from shared storage. (An RDD made with
     * {@code sc.parallelize(list)} would carry its slice of the list in every task of every round.)
     */
    static JavaRDD<Sample> shards(JavaSparkContext sc, Path dir, int n, int partitions) {
        String folder = dir.toString();
        List<Integer> indices = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            indices.add(p);
        }
        return sc.parallelize(indices, partitions).flatMap(p -> {
            Dataset train = FashionMnist.load(Path.of(folder)).flatten().train();
            int from = (int) ((long) n * p / partitions);
            int to = (int) ((long) n * (p + 1) / partitions);
            return samples(train, from, to).iterator();
        });
    }

    /** Samples {@code from} to {@code to} of the data set, in order. */
    static List<Sample> samples(Dataset data, int from, int to) {
        int fs = data.featureSize();
        float[] x = data.features();
        float[] y = data.targets();
        List<Sample> samples = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            samples.add(Sample.of(Arrays.copyOfRange(x, i * fs, (i + 1) * fs), y[i]));
        }
        return samples;
    }

    /** The command line. */
    static final class Options {
        String master = "local[2]";
        Path data = Path.of(FashionMnist.DEBIAN_DIR);
        int epochs = 3;
        int partitions = 2;
        int batchSize = 64;
        int localSteps = 4;
        double learningRate = 1e-4;
        long seed = 42;
        int limit;
        Path checkpoint;
        String backend = "cpu";
        int verbose = 1;
        boolean single;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> o.help = true;
                    case "--single" -> o.single = true;
                    default -> {
                        if (i + 1 >= args.length || !a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option or missing value: '" + a
                                    + "'; expected one of the options of --help, each with its value");
                        }
                        String v = args[++i];
                        switch (a) {
                            case "--master" -> o.master = v;
                            case "--data" -> o.data = Path.of(v);
                            case "--epochs" -> o.epochs = positive(a, v);
                            case "--partitions" -> o.partitions = positive(a, v);
                            case "--batch-size" -> o.batchSize = positive(a, v);
                            case "--local-steps" -> o.localSteps = positive(a, v);
                            case "--learning-rate" -> o.learningRate = number(a, v);
                            case "--seed" -> o.seed = (long) number(a, v);
                            case "--limit" -> o.limit = positive(a, v);
                            case "--checkpoint" -> o.checkpoint = Path.of(v);
                            case "--backend" -> o.backend = v;
                            case "--verbose" -> o.verbose = (int) number(a, v);
                            default ->
                                throw new IllegalArgumentException(
                                        "unknown option '" + a + "'; expected one of the options of --help");
                        }
                    }
                }
            }
            return o;
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(option + " is '" + value + "'; expected a positive integer");
        }

        private static double number(String option, String value) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " is '" + value + "'; expected a number");
            }
        }
    }
}
