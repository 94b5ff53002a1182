package dev.nabla.dl4jcompare;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The Deeplearning4j twin of Nabla's CpuTrainingBenchmark: the course notes' three MNIST networks
 * (784-1024-512-512-10 ReLU with cross-entropy and Adam 1e-4; 784-512 tanh-10 with MSE and SGD 0.01
 * or Adam 1e-3) on the full Fashion-MNIST set, batch 128, median time per epoch (the first two epochs, warm-up, left out
 * as on Nabla's side) and test
 * accuracy. Same data, batch, optimizers, learning rates and Glorot-uniform initialization.
 */
public final class Dl4jTrainingBenchmark {
    private static final int BATCH = 128;

    public static void main(String[] args) throws IOException {
        int epochs = 5;
        String which = "all";
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--networks" -> which = args[++i];
                case "--data" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: [--epochs N] [--networks all|deep|sgd|adam] [--data DIR]");
            }
        }
        float[] trainX = images(dir.resolve("train-images-idx3-ubyte.gz"));
        int[] trainY = labels(dir.resolve("train-labels-idx1-ubyte.gz"));
        float[] testX = images(dir.resolve("t10k-images-idx3-ubyte.gz"));
        int[] testY = labels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        DataSet train = new DataSet(Nd4j.create(trainX, trainY.length, 784), oneHot(trainY));
        INDArray test = Nd4j.create(testX, testY.length, 784);
        System.out.printf(Locale.ROOT, "Deeplearning4j, Fashion-MNIST %d samples, batch %d, %d epochs; OMP_NUM_THREADS=%s OMP_WAIT_POLICY=%s%n",
                trainY.length, BATCH, epochs, System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_WAIT_POLICY"));
        List<String> results = new ArrayList<>();
        if (which.equals("all") || which.equals("deep")) {
            results.add(run("784-1024-512-512 relu-10, CE, Adam 1e-4", new int[] {784, 1024, 512, 512, 10}, Activation.RELU,
                    LossFunctions.LossFunction.MCXENT, new Adam(1e-4, 0.9, 0.999, 1e-7), train, test, testY, epochs));
        }
        if (which.equals("all") || which.equals("sgd")) {
            results.add(run("784-512 tanh-10, MSE, SGD 0.01", new int[] {784, 512, 10}, Activation.TANH,
                    LossFunctions.LossFunction.MSE, new Sgd(0.01), train, test, testY, epochs));
        }
        if (which.equals("all") || which.equals("adam")) {
            results.add(run("784-512 tanh-10, MSE, Adam 1e-3", new int[] {784, 512, 10}, Activation.TANH,
                    LossFunctions.LossFunction.MSE, new Adam(1e-3, 0.9, 0.999, 1e-7), train, test, testY, epochs));
        }
        System.out.println("[" + String.join(",\n ", results) + "]");
    }

    private static String run(String name, int[] sizes, Activation hidden, LossFunctions.LossFunction loss, IUpdater updater,
            DataSet train, INDArray test, int[] testY, int epochs) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(42).weightInit(WeightInit.XAVIER_UNIFORM).updater(updater).list();
        for (int i = 0; i + 2 < sizes.length; i++) {
            list.layer(new DenseLayer.Builder().nIn(sizes[i]).nOut(sizes[i + 1]).activation(hidden).build());
        }
        int last = sizes.length - 2;
        list.layer(new OutputLayer.Builder(loss).nIn(sizes[last]).nOut(sizes[last + 1]).activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        List<Double> times = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            train.shuffle(100 + epoch);
            List<DataSet> batches = train.batchBy(BATCH);
            long start = System.nanoTime();
            for (DataSet batch : batches) {
                net.fit(batch);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            times.add(seconds);
            System.out.printf(Locale.ROOT, "  %s: epoch %d/%d %.3f s, score %.4f%n", name, epoch + 1, epochs, seconds, net.score());
        }
        INDArray predicted = net.output(test).argMax(1);
        int correct = 0;
        for (int i = 0; i < testY.length; i++) {
            correct += predicted.getInt(i) == testY[i] ? 1 : 0;
        }
        double median = median(times.subList(Math.min(2, times.size() - 1), times.size()));
        long rss = residentBytes();
        System.out.printf(Locale.ROOT, "%s: median epoch %.3f s; test accuracy %.4f; resident memory %.0f MiB%n", name, median,
                (double) correct / testY.length, rss / 1048576.0);
        return String.format(Locale.ROOT, "{\"engine\": \"dl4j\", \"network\": \"%s\", \"epoch_seconds\": %s, "
                + "\"median_epoch_seconds\": %.4f, \"test_accuracy\": %.4f, \"resident_mib\": %.0f}", name, times, median,
                (double) correct / testY.length, rss / 1048576.0);
    }

    private static INDArray oneHot(int[] labels) {
        float[] y = new float[labels.length * 10];
        for (int i = 0; i < labels.length; i++) {
            y[i * 10 + labels[i]] = 1;
        }
        return Nd4j.create(y, labels.length, 10);
    }

    private static float[] images(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != 2051) {
                throw new IOException(file + " is not an IDX image file");
            }
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            byte[] raw = in.readNBytes(n * rows * cols);
            float[] x = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                x[i] = (raw[i] & 0xff) / 255f;
            }
            return x;
        }
    }

    private static int[] labels(Path file) throws IOException {
        try (InputStream raw = new GZIPInputStream(Files.newInputStream(file)); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 2049) {
                throw new IOException(file + " is not an IDX label file");
            }
            int n = in.readInt();
            byte[] b = in.readNBytes(n);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = b[i];
            }
            return y;
        }
    }

    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
