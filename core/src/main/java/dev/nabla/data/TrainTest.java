package dev.nabla.data;

/**
 * A training set and a test set, as image loaders return them (Keras' {@code (x_train, y_train), (x_test, y_test)}).
 *
 * <pre>{@code
 * TrainTest mnist = FashionMnist.load();
 * Dataset train = mnist.train().flatten().toCategorical(10);
 * }</pre>
 *
 * @param train the training samples
 * @param test  the held-out test samples
 */
public record TrainTest(Dataset train, Dataset test) {
    /** Both sets with flat feature vectors ({28, 28} → {784}). */
    public TrainTest flatten() {
        return new TrainTest(train.flatten(), test.flatten());
    }

    /** Both sets with one-hot targets of {@code classes} classes. */
    public TrainTest toCategorical(int classes) {
        return new TrainTest(train.toCategorical(classes), test.toCategorical(classes));
    }
}
