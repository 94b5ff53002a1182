package dev.nabla.samples.bench;

import dev.nabla.data.Dataset;
import dev.nabla.data.FashionMnist;
import dev.nabla.data.Mnist;
import dev.nabla.data.TrainTest;
import dev.nabla.samples.data.EmbeddedDigits;
import java.io.IOException;
import java.nio.file.Path;

/** The data a training benchmark runs on, chosen the same way by every benchmark. */
final class BenchData {
    private BenchData() {}

    /** The IDX folder {@code dir}, else Fashion-MNIST if installed, else the embedded digits. */
    static TrainTest load(String dir) throws IOException {
        if (dir != null) {
            return Mnist.load(Path.of(dir));
        }
        if (FashionMnist.isInstalled()) {
            return FashionMnist.load();
        }
        System.out.println("(no --data and no Fashion-MNIST installed: using the embedded MNIST digits)");
        return EmbeddedDigits.load();
    }

    /**
     * The training set repeated or cut to {@code n} samples (0: as it is): an epoch's time does not
     * depend on pixel values.
     */
    static Dataset resize(Dataset d, int n) {
        if (n <= 0) {
            return d;
        }
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i % d.size();
        }
        return d.subset(indices);
    }
}
