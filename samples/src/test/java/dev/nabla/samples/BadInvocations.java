package dev.nabla.samples;

import static dev.nabla.samples.cli.ExitCode.BACKEND_UNAVAILABLE;
import static dev.nabla.samples.cli.ExitCode.BAD_ARGUMENTS;
import static dev.nabla.samples.cli.ExitCode.DATA_UNAVAILABLE;

import java.util.List;
import java.util.Map;

/** The table of bad command lines, launcher by launcher, that {@link BadInvocationTableTest} runs. */
final class BadInvocations {
    private BadInvocations() {}

    static List<BadInvocation> all() {
        return List.of(
                // nabla-main: the options every launcher shares
                new BadInvocation(
                        "nabla-main",
                        "an unknown option",
                        List.of("--bogus"),
                        BAD_ARGUMENTS,
                        "unknown option --bogus; nabla-main takes --backend, --epochs"),
                new BadInvocation(
                        "nabla-main",
                        "a misspelt option",
                        List.of("--epoch", "3"),
                        BAD_ARGUMENTS,
                        "did you mean --epochs?"),
                new BadInvocation(
                        "nabla-main",
                        "a value that is not a number",
                        List.of("--epochs", "ten"),
                        BAD_ARGUMENTS,
                        "--epochs expects a whole number, got 'ten'"),
                new BadInvocation(
                        "nabla-main",
                        "an option without its value",
                        List.of("--batch-size"),
                        BAD_ARGUMENTS,
                        "--batch-size needs a value (N)"),
                new BadInvocation(
                        "nabla-main", "a stray argument", List.of("fast"), BAD_ARGUMENTS, "unexpected argument 'fast'"),
                new BadInvocation(
                        "nabla-main",
                        "an unknown backend",
                        List.of("--backend", "tpu"),
                        BACKEND_UNAVAILABLE,
                        "unknown backend 'tpu'"),
                new BadInvocation(
                        "nabla-main",
                        "an unknown backend in NABLA_BACKEND",
                        List.of(),
                        Map.of("NABLA_BACKEND", "bogus"),
                        BACKEND_UNAVAILABLE,
                        "unknown backend 'bogus'"),
                new BadInvocation(
                        "nabla-main",
                        "no Java where JAVA_HOME points",
                        List.of(),
                        Map.of("JAVA_HOME", "/opt/no-jdk"),
                        DATA_UNAVAILABLE,
                        "no java at '/opt/no-jdk/bin/java'; expected a JDK 17 or newer on the PATH or in JAVA_HOME"),
                new BadInvocation(
                        "nabla-main",
                        "a backend that cannot run here (no NVIDIA driver)",
                        List.of("--backend", "cuda"),
                        BACKEND_UNAVAILABLE,
                        "backend 'cuda' is unavailable"),
                // the samples' data and values
                new BadInvocation(
                        "nabla-mnist-mlp",
                        "an IDX folder whose images are 10×10, not 28×28",
                        List.of("--data", "<tmp>/idx-10x10"),
                        DATA_UNAVAILABLE,
                        "holds images of 10×10 pixels; expected MNIST's 28×28"),
                new BadInvocation(
                        "nabla-mnist-mlp",
                        "an IDX folder with a label of 12",
                        List.of("--data", "<tmp>/idx-label-12"),
                        DATA_UNAVAILABLE,
                        "holds label 12 at index 39; expected class labels 0 to 9"),
                new BadInvocation(
                        "nabla-mnist-mlp",
                        "a data folder that does not exist",
                        List.of("--data", "<tmp>/nowhere"),
                        DATA_UNAVAILABLE,
                        "--data <tmp>/nowhere is not a folder"),
                new BadInvocation(
                        "nabla-mnist-mlp",
                        "a choice not offered",
                        List.of("--verbose", "3"),
                        BAD_ARGUMENTS,
                        "--verbose is '3'; expected one of 0, 1, 2"),
                new BadInvocation(
                        "nabla-mlp-vs-cnn",
                        "a data folder that does not exist",
                        List.of("--data", "<tmp>/nowhere"),
                        DATA_UNAVAILABLE,
                        "--data <tmp>/nowhere is not a folder"),
                new BadInvocation(
                        "nabla-mlp-vs-cnn",
                        "no epochs",
                        List.of("--epochs", "0"),
                        BAD_ARGUMENTS,
                        "--epochs must be at least 1, got 0"),
                new BadInvocation(
                        "nabla-deep-mlp",
                        "a negative learning rate",
                        List.of("--lr", "-1"),
                        BAD_ARGUMENTS,
                        "--lr must be positive, got -1"),
                new BadInvocation(
                        "nabla-softmax-regression",
                        "more points than memory can hold",
                        List.of("--points", "2000000000"),
                        BAD_ARGUMENTS,
                        "--points must be from 4 to 100000 points per class"),
                new BadInvocation(
                        "nabla-gradient-descent",
                        "more steps than an array can hold",
                        List.of("--epochs", "2147483647"),
                        BAD_ARGUMENTS,
                        "--epochs must be at most 100000 steps"),
                new BadInvocation(
                        "nabla-logistic-regression",
                        "a negative sample count",
                        List.of("--samples", "-5"),
                        BAD_ARGUMENTS,
                        "--samples must be 0 or more, got -5"),
                new BadInvocation(
                        "nabla-perceptron",
                        "a batch size of 0",
                        List.of("--batch-size", "0"),
                        BAD_ARGUMENTS,
                        "--batch-size must be at least 1, got 0"),
                new BadInvocation(
                        "nabla-minimize",
                        "a learning rate that is not a number",
                        List.of("--lr", "fast"),
                        BAD_ARGUMENTS,
                        "--lr expects a number like 0.01 or 1e-3, got 'fast'"),
                new BadInvocation(
                        "nabla-kfold",
                        "one fold",
                        List.of("--k", "1"),
                        BAD_ARGUMENTS,
                        "--k is 1; expected between 2 and the number of samples"),
                new BadInvocation(
                        "nabla-schedules",
                        "an output folder without its name",
                        List.of("--out"),
                        BAD_ARGUMENTS,
                        "--out needs a value (DIR)"),
                // the recognizer
                new BadInvocation(
                        "nabla-recognizer",
                        "a port out of range",
                        List.of("--port", "70000"),
                        BAD_ARGUMENTS,
                        "--port must be from 0 to 65535, got 70000"),
                new BadInvocation(
                        "nabla-recognizer",
                        "a model file that is not a model",
                        List.of("--model", "<tmp>/nan.csv"),
                        DATA_UNAVAILABLE,
                        "not a Nabla model file"),
                new BadInvocation(
                        "nabla-recognizer",
                        "a --model in a folder no one may write, noticed before training",
                        List.of("--model", "/sys/model.nabla", "--network", "small"),
                        DATA_UNAVAILABLE,
                        "cannot save the model to /sys/model.nabla: "),
                // nabla-train
                new BadInvocation(
                        "nabla-train",
                        "a network too large for the memory",
                        List.of("--model", "784-100000-100000-10"),
                        Map.of("JAVA_OPTS", "-Xmx1g"),
                        BAD_ARGUMENTS,
                        "need about 150.5 GiB, but the Java heap holds at most 1.0 GiB"),
                new BadInvocation(
                        "nabla-train",
                        "a CSV with NaN among the features",
                        List.of("--data", "<tmp>/nan.csv", "--model", "2-3"),
                        DATA_UNAVAILABLE,
                        "line 2, column 2: 'NaN' is not a number; expected finite feature values"),
                new BadInvocation(
                        "nabla-train",
                        "a CSV with Infinity among the features",
                        List.of("--data", "<tmp>/inf.csv", "--model", "2-3"),
                        DATA_UNAVAILABLE,
                        "line 3, column 2: 'Infinity' is infinite"),
                new BadInvocation(
                        "nabla-train",
                        "a CSV with 1e40, beyond float range",
                        List.of("--data", "<tmp>/huge.csv", "--model", "2-3"),
                        DATA_UNAVAILABLE,
                        "line 4, column 1: '1e40' overflows a 32-bit float"),
                new BadInvocation(
                        "nabla-train",
                        "a CSV of one row",
                        List.of("--data", "<tmp>/one-row.csv", "--model", "2-3"),
                        DATA_UNAVAILABLE,
                        "has 1 data row"),
                new BadInvocation(
                        "nabla-train",
                        "a CSV of two rows",
                        List.of("--data", "<tmp>/two-rows.csv", "--model", "2-3"),
                        DATA_UNAVAILABLE,
                        "has 2 data rows; holding out 20% for validation"),
                new BadInvocation(
                        "nabla-train",
                        "a test CSV with another column count",
                        List.of("--data", "<tmp>/clusters.csv", "--test", "<tmp>/four-columns.csv", "--model", "2-3"),
                        DATA_UNAVAILABLE,
                        "has 4 columns per row but --data <tmp>/clusters.csv has 3"),
                new BadInvocation(
                        "nabla-train",
                        "a metric given twice",
                        List.of("--metrics", "accuracy,accuracy"),
                        BAD_ARGUMENTS,
                        "accuracy given twice; expected each metric once"),
                new BadInvocation(
                        "nabla-train",
                        "an empty metric list",
                        List.of("--metrics", ","),
                        BAD_ARGUMENTS,
                        "--metrics ',' has an empty entry; expected a comma-separated list"),
                new BadInvocation(
                        "nabla-train",
                        "a test file beside an IDX data folder",
                        List.of("--data", "<tmp>/idx-label-12", "--test", "<tmp>/clusters.csv"),
                        BAD_ARGUMENTS,
                        "applies to CSV data only"),
                new BadInvocation(
                        "nabla-train",
                        "dropout after the output layer",
                        List.of("--model", "784-10-dropout0.5"),
                        BAD_ARGUMENTS,
                        "dropout cannot follow the output layer; put it before 10"),
                new BadInvocation(
                        "nabla-train",
                        "a convolution of flat pixels",
                        List.of("--model", "784-conv8k3-flatten-10"),
                        BAD_ARGUMENTS,
                        "takes images HxWxC but its input is 784; expected a reshape before it"),
                new BadInvocation(
                        "nabla-train",
                        "a run folder to resume that has no checkpoint",
                        List.of("--resume", "<tmp>/nowhere"),
                        DATA_UNAVAILABLE,
                        "--resume <tmp>/nowhere: no checkpoint there"),
                // the benchmarks
                new BadInvocation(
                        "nabla-cpu-bench",
                        "no epoch left after the warm-up",
                        List.of("--epochs", "2", "--warmup", "2"),
                        BAD_ARGUMENTS,
                        "expected more epochs than --warmup"),
                new BadInvocation(
                        "nabla-step-breakdown",
                        "a network that is not a preset",
                        List.of("--model", "resnet"),
                        BAD_ARGUMENTS,
                        "--model is 'resnet'; expected one of mlp-sgd, mlp-adam, deep-mlp, lenet, cnn"));
    }
}
