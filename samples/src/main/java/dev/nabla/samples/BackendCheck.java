package dev.nabla.samples;

import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.Backends;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.tensor.Tensor;

/**
 * Prints every backend on the class path with its availability, then multiplies two small
 * matrices on the backend Nabla chooses (NABLA_BACKEND or -Dnabla.backend to force one). The
 * first thing to run on a new machine, e.g. from the GPU bundle:
 * <pre>{@code
 * NABLA_BACKEND=cuda bin/nabla dev.nabla.samples.BackendCheck
 * }</pre>
 */
public final class BackendCheck {
    private BackendCheck() {}

    static final Options.Spec SPEC = Options.program(
                    "BackendCheck",
                    "Prints every backend on the class path with its availability, then multiplies two small matrices "
                            + "on the backend chosen.")
            .without("epochs", "batch-size", "seed", "out");

    public static void main(String[] args) {
        System.out.printf(
                "Java %s (%s) on %s %s%n",
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                System.getProperty("os.name"),
                System.getProperty("os.arch"));
        for (BackendProvider provider : Backends.providers()) {
            System.out.printf("  %-7s %s%n", provider.name(), provider.availability());
        }
        int code = SampleRunner.run(SPEC, args, job -> {
            Tensor a = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
            Tensor b = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 1}});
            Tensor product = a.matmul(b);
            System.out.println("[[1 2 3] [4 5 6]] x [[1 0] [0 1] [1 1]] = " + product);
        });
        if (code != 0) {
            System.exit(code);
        }
    }
}
