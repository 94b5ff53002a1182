package dev.nabla.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Fixtures;
import dev.nabla.nn.Model;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Keras activation by name: its values and gradients agree with PyTorch, and models use and save it. */
class ActivationsTest {
    private static final double[] X = {-2.5, -0.7, 0.3, 1.9};

    /** Values and gradients of PyTorch 2.13.0 (torch.nn.functional, float64) at X. */
    static Stream<Arguments> pytorch() {
        return Stream.of(
                Arguments.of("elu", new double[] {-0.9179150013761013, -0.5034146962085905, 0.3, 1.9}, new double[] {
                    0.0820849986238988, 0.4965853037914095, 1.0, 1.0
                }),
                Arguments.of(
                        "selu",
                        new double[] {-1.6137857588732425, -0.8850530455772052, 0.31521029620664415, 1.9963318759754127
                        },
                        new double[] {0.1443135819741343, 0.8730462952701714, 1.0507009873554805, 1.0507009873554805}),
                Arguments.of("celu", new double[] {-0.9179150013761013, -0.5034146962085905, 0.3, 1.9}, new double[] {
                    0.0820849986238988, 0.4965853037914095, 1.0, 1.0
                }),
                Arguments.of(
                        "gelu",
                        new double[] {-0.015524163314440398, -0.1693745565561511, 0.1853734266566858, 1.8454385363495966
                        },
                        new double[] {-0.03761108590814519, 0.023385898866340155, 0.7323277668271099, 1.095953488255884
                        }),
                Arguments.of(
                        "gelu_tanh",
                        new double[] {
                            -0.015084266089998577, -0.16942986529488321, 0.18537092354275922, 1.8454512344553327
                        },
                        new double[] {-0.03795157621266618, 0.023642781343896052, 0.7322954516388018, 1.0967818080997944
                        }),
                Arguments.of(
                        "mish",
                        new double[] {-0.19681620390653337, -0.2678702347955009, 0.20800137234811503, 1.8367436005523152
                        },
                        new double[] {-0.10974357275018566, 0.1844160732567819, 0.7828272995511304, 1.0749275910630465
                        }),
                Arguments.of(
                        "softsign",
                        new double[] {-0.7142857142857143, -0.4117647058823529, 0.23076923076923075, 0.6551724137931034
                        },
                        new double[] {0.08163265306122447, 0.34602076124567477, 0.5917159763313609, 0.11890606420927469
                        }),
                Arguments.of(
                        "hard_sigmoid",
                        new double[] {0.08333333333333333, 0.3833333333333333, 0.5499999999999999, 0.8166666666666668},
                        new double[] {1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0}),
                Arguments.of(
                        "hard_silu",
                        new double[] {-0.20833333333333334, -0.2683333333333333, 0.16499999999999998, 1.5516666666666667
                        },
                        new double[] {-0.33333333333333337, 0.2666666666666667, 0.6, 1.1333333333333333}),
                Arguments.of("relu6", new double[] {0, 0, 0.3, 1.9}, new double[] {0, 0, 1, 1}),
                Arguments.of(
                        "exponential",
                        new double[] {0.0820849986238988, 0.4965853037914095, 1.3498588075760032, 6.6858944422792685},
                        new double[] {0.0820849986238988, 0.4965853037914095, 1.3498588075760032, 6.6858944422792685}),
                Arguments.of("hard_tanh", new double[] {-1, -0.7, 0.3, 1}, new double[] {0, 1, 1, 0}),
                Arguments.of(
                        "log_sigmoid",
                        new double[] {-2.5788897342925496, -1.103186048885458, -0.5543552444685271, -0.1393867582829606
                        },
                        new double[] {0.9241418199787564, 0.668187772168166, 0.425557483188341, 0.13010847436299786}),
                Arguments.of(
                        "tanh_shrink",
                        new double[] {
                            -1.5133857018485697, -0.09563222288283646, 0.008687387548409087, 0.9437625418722608
                        },
                        new double[] {0.9734077733168395, 0.3652604100175414, 0.08486303817337082, 0.9143900763265995}),
                Arguments.of(
                        "soft_shrink", new double[] {-2.0, -0.19999999999999996, 0, 1.4}, new double[] {1, 1, 0, 1}),
                Arguments.of("hard_shrink", new double[] {-2.5, -0.7, 0, 1.9}, new double[] {1, 1, 0, 1}),
                Arguments.of(
                        "silu",
                        new double[] {-0.18964545005310887, -0.2322685594822837, 0.1723327550434977, 1.652793898710304},
                        new double[] {-0.09940111134152683, 0.17661321652665754, 0.6477800103188829, 1.084934018234671
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorch")
    void valueAndGradientAgreeWithPyTorch(String name, double[] value, double[] gradient) {
        Tensor x = Tensor.of(X.clone()).requiresGrad(true);
        Tensor y = Activations.get(name).apply(x);
        y.sum().backward();
        double tolerance = name.equals("gelu") ? 1e-7 : 1e-12; // gelu's Φ is a fit good to 1e−7
        assertArrayEquals(value, y.toDoubleArray(), tolerance, name);
        assertArrayEquals(gradient, x.grad().toDoubleArray(), tolerance, name + "'s gradient");
    }

    @ParameterizedTest
    @EnumSource(Activations.class)
    void eachActivationTrainsInADenseLayerAndSurvivesSaveAndLoad(Activations activation, @TempDir Path dir) {
        RandomSeed.set(3);
        Dataset data = Fixtures.blobs(48, 1);
        Path file = dir.resolve(activation.kerasName() + ".nabla");
        Tensor x = Tensor.of(new float[] {2, 0, 0, 1, -2, 1, 0, -1}, 2, 4);
        float[] before;
        try (Sequential model = new Sequential(
                new Dense(8, activation.kerasName()).inputShape(4),
                new Activation(activation),
                new Dense(3, "softmax"))) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy());
            double first = model.fit(
                            data, new FitOptions().batchSize(16).epochs(1).verbose(0))
                    .last("loss");
            assertTrue(Double.isFinite(first), activation + ": loss " + first);
            model.save(file);
            before = model.predict(x).toFloatArray();
        }
        try (Model loaded = Model.load(file)) {
            assertEquals(activation, ((Dense) loaded.layers().get(0)).activation());
            assertArrayEquals(before, loaded.predict(x).toFloatArray(), activation + ": predictions after loading");
        }
    }

    @Test
    void kerasAliasesNameTheSameFunctions() {
        assertSame(Activations.SWISH, Activations.get("silu"));
        assertSame(Activations.HARD_SILU, Activations.get("hard_swish"));
        assertSame(Activations.GELU_TANH, Activations.get("gelu_approximate"));
        assertSame(Activations.LEAKY_RELU, Activations.get("LeakyReLU"));
        assertSame(Activations.LOG_SOFTMAX, Activations.get("log-softmax"));
        assertSame(Activations.LINEAR, Activations.get(null));
    }

    @Test
    void anUnknownNameListsEveryKnownOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activations.get("gelu2"));
        assertTrue(
                e.getMessage().startsWith("unknown activation 'gelu2'; expected one of linear, relu"), e.getMessage());
        for (Activations a : Activations.values()) {
            assertTrue(e.getMessage().contains(a.kerasName()), e.getMessage());
        }
    }

    @Test
    void aComposedActivationLeavesOnlyItsResultOnTheDevice() {
        Backend own = CpuBackendProvider.createIsolated();
        Tensor x = Tensor.on(own).of(new float[] {-1, 0.5f, 2}, 3);
        Tensor y;
        try (NoGrad off = NoGrad.enter()) {
            y = Activations.GELU.apply(x); // about thirty ops inside
        }
        assertEquals(2, own.memoryStats().liveBuffers(), "x and y, nothing else");
        y.close();
        x.close();
    }

    @Test
    void aCustomElementwiseFunctionIsOneNodeWithItsOwnDerivative() {
        Tensor x = Tensor.of(new double[] {-2, 1, 3}).requiresGrad(true);
        Tensor y = x.elementwise(
                "cube", t -> t.mul(t).mul(t), (t, out) -> t.square().mul(3));
        y.sum().backward();
        assertArrayEquals(new double[] {-8, 1, 27}, y.toDoubleArray());
        assertArrayEquals(new double[] {12, 3, 27}, x.grad().toDoubleArray());
        Tensor same = x.elementwise("identity", t -> t, (t, out) -> t.mul(0).add(1));
        assertNotSame(x, same, "a forward that returns its input gets a copy");
    }

    @Test
    void aCustomForwardOfTheWrongShapeIsRefusedByName() {
        Tensor x = Tensor.of(new float[] {1, 2, 3});
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> x.elementwise("total", t -> t.sum(), (t, out) -> t));
        assertEquals("total: the forward made a FLOAT32 [] tensor; expected the input's FLOAT32 [3]", e.getMessage());
    }

    @Test
    void everyActivationHasADistinctKerasName() {
        assertEquals(
                Activations.values().length,
                Stream.of(Activations.values())
                        .map(Activations::kerasName)
                        .distinct()
                        .count());
    }
}
