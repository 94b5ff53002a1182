package dev.nabla.conformance;

import dev.nabla.backend.DType;
import dev.nabla.backend.RandomKind;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Random tensors draw exactly {@link dev.nabla.backend.Philox#sample}'s numbers, and those look random. */
abstract class RandomSpec extends Spec {

    protected RandomSpec(Kit kit) {
        super(kit);
    }

    private static Tolerance uniformTolerance(DType dtype, double low, double high) {
        // a + (b − a)·u rounded once or twice in the working type
        double magnitude = Math.max(Math.abs(low), Math.abs(high));
        return dtype == DType.FLOAT64 ? new Tolerance(1e-15 * magnitude, 1e-15) : new Tolerance(2e-7 * magnitude, 2e-7);
    }

    @Test
    @DisplayName("uniform draws equal Philox.sample for odd sizes, and a generator continues where it stopped")
    void uniformDrawsArePhilox() {
        for (DType dtype : kit.floatTypes) {
            Generator generator = new Generator(1234);
            long counter = 0;
            for (int[] shape : new int[][] {{7, 13}, {1}, {5}, {0}, {2, 3, 4}, {1000, 33}}) {
                Tensor drawn = t.random(dtype, RandomKind.UNIFORM, generator, -2, 3, shape);
                kit.assertClose(
                        "uniform[−2, 3) " + java.util.Arrays.toString(shape) + " " + dtype + " from block " + counter,
                        Reference.random(RandomKind.UNIFORM, 1234, counter, -2, 3, shape),
                        drawn,
                        uniformTolerance(dtype, -2, 3));
                counter += RandomKind.UNIFORM.blocksFor(HostArray.size(shape));
                kit.assertEquals("generator position after a draw", counter, generator.position());
            }
        }
    }

    @Test
    @DisplayName("normal draws equal Philox.sample's Box–Muller values")
    void normalDrawsArePhilox() {
        for (DType dtype : kit.floatTypes) {
            Generator generator = new Generator(99);
            long counter = 0;
            for (int[] shape : new int[][] {{7, 13}, {1}, {3}, {0}, {1000, 33}}) {
                Tensor drawn = t.random(dtype, RandomKind.NORMAL, generator, 0.5, 2, shape);
                kit.assertClose(
                        "normal(0.5, 2) " + java.util.Arrays.toString(shape) + " " + dtype,
                        Reference.random(RandomKind.NORMAL, 99, counter, 0.5, 2, shape),
                        drawn,
                        Tolerance.normalDraws(dtype));
                counter += RandomKind.NORMAL.blocksFor(HostArray.size(shape));
            }
        }
    }

    @Test
    @DisplayName("dropout masks from random(DROPOUT_MASK) equal Philox.sample")
    void dropoutMasksArePhilox() {
        for (DType dtype : kit.floatTypes) {
            Tensor mask = t.random(dtype, RandomKind.DROPOUT_MASK, new Generator(5), 0.75, 0, 13, 7);
            kit.assertClose(
                    "dropout mask (keep 0.75) " + dtype,
                    Reference.random(RandomKind.DROPOUT_MASK, 5, 0, 0.75, 0, 13, 7),
                    mask,
                    Tolerance.elementwise(dtype));
        }
    }

    @Test
    @DisplayName("the same seed gives the same tensor; another seed another")
    void seedsReproduce() {
        Tensor a = Tensor.on(backend).uniform(new Generator(3), 0, 1, 64);
        Tensor b = Tensor.on(backend).uniform(new Generator(3), 0, 1, 64);
        Tensor c = Tensor.on(backend).uniform(new Generator(4), 0, 1, 64);
        kit.assertTrue("same seed, same numbers", java.util.Arrays.equals(a.toFloatArray(), b.toFloatArray()));
        kit.assertTrue("another seed, other numbers", a.ne(c).sum().item() > 60);
    }

    @Test
    @DisplayName(
            "statistics are sane: uniform[0, 1) has mean 1/2 and variance 1/12, normal(0, 1) mean 0 and variance 1")
    void statistics() {
        Tensor uniform = t.uniform(new Generator(11), 0, 1, 200, 500);
        kit.assertValue("mean of 100,000 uniform draws", 0.5, uniform.mean().item(), 0.005);
        kit.assertValue(
                "variance of 100,000 uniform draws",
                1.0 / 12,
                uniform.variance().item(),
                0.002);
        kit.assertTrue(
                "uniform draws lie in [0, 1)",
                uniform.min().item() >= 0 && uniform.max().item() < 1);
        Tensor normal = t.normal(new Generator(12), 0, 1, 200, 500);
        kit.assertValue("mean of 100,000 normal draws", 0, normal.mean().item(), 0.01);
        kit.assertValue("variance of 100,000 normal draws", 1, normal.variance().item(), 0.02);
        double within = normal.abs().lt(1.959964).mean().item();
        kit.assertValue("share of normal draws within ±1.96σ", 0.95, within, 0.005);
    }
}
