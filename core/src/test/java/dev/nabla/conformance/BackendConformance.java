package dev.nabla.conformance;

import dev.nabla.backend.Availability;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.testing.LiveBuffers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The backend conformance kit: extend it in a backend module's tests and every check runs on
 * that backend against the plain FLOAT64 host reference ({@link Reference}).
 *
 * <pre>{@code
 * class CpuConformanceTest extends BackendConformance {
 *     @Override protected BackendProvider provider() { return new CpuBackendProvider(); }
 * }
 * }</pre>
 *
 * <p>When the backend is unavailable every check of the suite is reported as skipped, with the
 * reason (printed once, and on each skipped test in the test reports); when {@link #requiredInCi()}
 * and the environment variable {@code CI=true}, an unavailable backend is a failure instead.
 * At the end it prints how many checks ran on which device. The areas of the specification are
 * the nested classes below; docs/conformance.md lists them with their tolerances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
@ExtendWith(BackendConformance.SkippedWhereUnavailable.class)
public abstract class BackendConformance {

    /** The provider of the backend under test. */
    protected abstract BackendProvider provider();

    /** Whether CI (CI=true) must run this suite rather than skip it. */
    protected boolean requiredInCi() {
        return false;
    }

    /**
     * A second, distinct instance of the backend under test, for the check that tensors of two
     * backends are not mixed; null when there is none (that check is then skipped). The default
     * asks the provider for device 0 again and uses the answer if it is a different instance.
     * The kit closes the instance it gets here.
     */
    protected Backend secondBackend() {
        Backend other = provider().create(0);
        return other == backend ? null : other;
    }

    /** The backend under test, created once per test class. */
    protected Backend backend;

    /** The shared state of the specs: the backend, inputs, counted assertions; null where the backend is unavailable. */
    protected Kit kit;

    /** Why every check is skipped here (the backend is unavailable), or null. */
    private String skipReason;

    @BeforeAll
    void createBackend() {
        BackendProvider provider = provider();
        Availability availability = provider.availability();
        System.out.println("[conformance] backend '" + provider.name() + "': " + availability);
        if (!availability.available()) {
            if (requiredInCi() && "true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("backend '" + provider.name() + "' must run in CI but is " + availability);
            }
            skipReason = "backend '" + provider.name() + "' is " + availability;
            System.out.println("[conformance] every check skipped: " + skipReason);
            return;
        }
        backend = provider.create(0);
        LiveBuffers.settle(); // garbage of earlier test classes is not the suite's
        kit = new Kit(backend);
        System.out.println("[conformance] running on " + backend.deviceName());
    }

    @AfterAll
    void reportChecks() {
        if (kit == null) {
            return;
        }
        System.out.println("[conformance] " + backend.name() + " (" + backend.deviceName() + "): "
                + (kit.checks() - kit.failures()) + " checks passed, " + kit.failures() + " failed, "
                + kit.values() + " values compared");
    }

    /**
     * Skips each test of the suite, with the reason, where the backend is unavailable: each one is then
     * reported as skipped (a failed {@code @BeforeAll} assumption would report none at all).
     */
    static final class SkippedWhereUnavailable implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String reason = context.getTestInstances()
                    .flatMap(instances -> instances.findInstance(BackendConformance.class))
                    .map(suite -> suite.skipReason)
                    .orElse(null);
            return reason == null
                    ? ConditionEvaluationResult.enabled("the backend is available")
                    : ConditionEvaluationResult.disabled(reason);
        }
    }

    @Nested
    @Order(1)
    @DisplayName("Creation, host reads and printing")
    class CreationAndHostReads extends CreationSpec {
        CreationAndHostReads() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(2)
    @DisplayName("Elementwise ops, comparisons, where and clip match the reference")
    class ElementwiseOps extends ElementwiseSpec {
        ElementwiseOps() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(3)
    @DisplayName("Reductions along any axes, with and without keepDims")
    class ReductionOps extends ReductionSpec {
        ReductionOps() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(4)
    @DisplayName("Matrix products: 2-D, batched, broadcast, transposed, 1-D")
    class MatrixProducts extends MatmulSpec {
        MatrixProducts() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(5)
    @DisplayName("Softmax, hardmax, one-hot, cross-entropy, bias+activation, dropout")
    class NeuralOps extends NeuralSpec {
        NeuralOps() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(6)
    @DisplayName("Random numbers are Philox4x32-10 on every backend")
    class RandomNumbers extends RandomSpec {
        RandomNumbers() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(7)
    @DisplayName("Views share storage; copies are exact")
    class ViewsAndCopies extends ViewSpec {
        ViewsAndCopies() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(8)
    @DisplayName("SPI primitives called directly on strided views")
    class SpiPrimitives extends PrimitiveSpec {
        SpiPrimitives() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(8)
    @DisplayName("Each fused kernel gives what its composition from the primitives gives")
    class Fusions extends FusionSpec {
        Fusions() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(9)
    @DisplayName("Every differentiable op's backward matches central differences")
    class Gradients extends GradientSpec {
        Gradients() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(9)
    @DisplayName("Every activation matches Keras' formula, and its gradient central differences")
    class ActivationFunctions extends ActivationSpec {
        ActivationFunctions() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(9)
    @DisplayName("Convolution, pooling and padding match plain loops, and their gradients central differences")
    class Convolutions extends ConvolutionSpec {
        Convolutions() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(10)
    @DisplayName("The course notes' worked examples")
    class WorkedExamples extends FieldExamplesSpec {
        WorkedExamples() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(11)
    @DisplayName("Bad input is refused before any work is queued")
    class BadInput extends BadInputSpec {
        BadInput() {
            super(BackendConformance.this.kit, BackendConformance.this::secondBackend);
        }
    }

    @Nested
    @Order(12)
    @DisplayName("A short training run reaches the reference's loss")
    class Training extends TrainingSpec {
        Training() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(12)
    @DisplayName("Graph capture: a replayed training step gives the eager weights bit for bit")
    class GraphCapture extends CaptureSpec {
        GraphCapture() {
            super(BackendConformance.this.kit);
        }
    }

    @Nested
    @Order(13)
    @DisplayName("Memory: scoped loops release every buffer")
    class Memory extends MemorySpec {
        Memory() {
            super(BackendConformance.this.kit);
        }
    }
}
