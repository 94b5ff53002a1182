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
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
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
 * {@code --networks lenet} and {@code cnn} are the twins of nabla-train's CNN presets (Adam 1e-3).
 */
public final class Dl4jTrainingBenchmark {
    private static int batch = 128;

    public static void main(String[] args) throws IOException {
        int epochs = 5;
        String which = "all";
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--networks" -> which = args[++i];
                case "--data" -> dir = Path.of(args[++i]);
                case "--batch-size" -> batch = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(
                        "usage: [--epochs N] [--networks all|deep|sgd|adam|lenet|cnn] [--data DIR] [--batch-size N]");
            }
        }
        float[] trainX = images(dir.resolve("train-images-idx3-ubyte.gz"));
        int[] trainY = labels(dir.resolve("train-labels-idx1-ubyte.gz"));
        float[] testX = images(dir.resolve("t10k-images-idx3-ubyte.gz"));
        int[] testY = labels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        DataSet train = new DataSet(Nd4j.create(trainX, trainY.length, 784), oneHot(trainY));
        INDArray test = Nd4j.create(testX, testY.length, 784);
        System.out.printf(Locale.ROOT, "Deeplearning4j, Fashion-MNIST %d samples, batch %d, %d epochs; OMP_NUM_THREADS=%s OMP_WAIT_POLICY=%s%n",
                trainY.length, batch, epochs, System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_WAIT_POLICY"));
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
        if (which.equals("lenet")) {
            results.add(fit("lenet", lenet(), train, test, testY, epochs));
        }
        if (which.equals("cnn")) {
            results.add(fit("cnn", cnn(), train, test, testY, epochs));
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
        return fit(name, list.build(), train, test, testY, epochs);
    }

    /** conv 6@5×5 'same' relu, max-pool 2, conv 16@5×5 relu, max-pool 2, dense 120, 84, 10 (nabla-train --model lenet). */
    private static MultiLayerConfiguration lenet() {
        return convolutional().list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
    }

    /** conv 32@3×3 same relu, max-pool 2, conv 64@3×3 same relu, max-pool 2, dense 128 relu, dropout 0.5, 10 (nabla-train --model cnn). */
    private static MultiLayerConfiguration cnn() {
        return convolutional().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(new DropoutLayer.Builder(0.5).build()) // DL4J's argument is the keep probability: also 0.5
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
    }

    private static NeuralNetConfiguration.Builder convolutional() {
        return new NeuralNetConfiguration.Builder().seed(42).weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(new Adam(1e-3, 0.9, 0.999, 1e-7));
    }

    private static String fit(String name, MultiLayerConfiguration conf, DataSet train, INDArray test, int[] testY, int epochs) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        List<Double> times = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            train.shuffle(100 + epoch);
            List<DataSet> batches = train.batchBy(batch);
            long start = System.nanoTime();
            for (DataSet batch : batches) {
                net.fit(batch);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            times.add(seconds);
            System.out.printf(Locale.ROOT, "  %s: epoch %d/%d %.3f s, score %.4f%n", name, epoch + 1, epochs, seconds, net.score());
        }
        List<Double> predictTimes = new ArrayList<>(); // inference: the whole test set, three times
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            net.output(test);
            predictTimes.add((System.nanoTime() - start) / 1e9);
        }
        double predictPerSecond = testY.length / median(predictTimes);
        INDArray predicted = net.output(test).argMax(1);
        int correct = 0;
        for (int i = 0; i < testY.length; i++) {
            correct += predicted.getInt(i) == testY[i] ? 1 : 0;
        }
        double median = median(times.subList(Math.min(2, times.size() - 1), times.size()));
        long rss = residentBytes();
        System.out.printf(Locale.ROOT, "%s: median epoch %.3f s; test accuracy %.4f; resident memory %.0f MiB%n", name, median,
                (double) correct / testY.length, rss / 1048576.0);
        return String.format(Locale.ROOT, "{\"engine\": \"dl4j\", \"network\": \"%s\", \"batch_size\": %d, \"epoch_seconds\": %s, "
                + "\"median_epoch_seconds\": %.4f, \"predict_samples_per_second\": %.1f, \"test_accuracy\": %.4f, "
                + "\"resident_mib\": %.0f}", name, batch, times, median, predictPerSecond, (double) correct / testY.length,
                rss / 1048576.0);
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
