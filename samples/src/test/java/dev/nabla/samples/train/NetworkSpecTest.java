package dev.nabla.samples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.activations.Activations;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Input;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Sequential;
import dev.nabla.samples.cli.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {
    @Test
    void fieldsMnistNetworkReadsAsInputThenLayers() {
        NetworkSpec spec = NetworkSpec.parse("784-512:tanh-10:softmax");
        assertEquals(784, spec.inputs());
        assertEquals(2, spec.layers().size());
        assertEquals(512, spec.layers().get(0).units());
        assertEquals(Activations.TANH, spec.layers().get(0).activation());
        assertEquals(10, spec.outputs());
        assertEquals(Activations.SOFTMAX, spec.outputActivation());
        assertEquals("784-512:tanh-10:softmax", spec.toString());
    }

    @Test
    void omittedActivationsAreReluInsideAndSoftmaxOrSigmoidAtTheOutput() {
        assertEquals(
                "784-1024:relu-512:relu-512:relu-10:softmax",
                NetworkSpec.parse("784-1024-512-512-10").toString());
        assertEquals("2-8:relu-1:sigmoid", NetworkSpec.parse("2-8-1").toString());
        assertEquals(
                "4-16:leaky_relu-3:linear",
                NetworkSpec.parse(" 4-16:leaky_relu-3:linear ").toString());
    }

    @Test
    void dropoutLayersSitBetweenDenseLayers() {
        NetworkSpec spec = NetworkSpec.parse("784-256-dropout0.2-10");
        assertEquals("784-256:relu-dropout0.2-10:softmax", spec.toString());
        try (Sequential model = spec.build()) {
            List<Layer> layers =
                    model.layers().stream().filter(l -> !(l instanceof Input)).toList();
            assertEquals(3, layers.size());
            assertTrue(layers.get(0) instanceof Dense);
            assertEquals(0.2, ((Dropout) layers.get(1)).rate());
            assertEquals(10, ((Dense) layers.get(2)).units());
            assertEquals(784, model.inputShape()[0]);
        }
    }

    @Test
    void presetsAreFieldsNetworks() {
        assertEquals("784-512:tanh-10:softmax", Preset.of("mlp-sgd").network().toString());
        assertEquals("sgd", Preset.of("mlp-sgd").optimizer());
        assertEquals(0.001, Preset.of("MLP-ADAM").learningRate());
        assertEquals(
                "784-1024:relu-512:relu-512:relu-10:softmax",
                Preset.of("deep-mlp").network().toString());
        assertEquals("categorical_crossentropy", Preset.of("deep-mlp").loss());
        assertTrue(Preset.isPreset("deep-mlp"));
        assertTrue(!Preset.isPreset("784-10"));
    }

    @Test
    void convPresetsReadTheDigitsAsImages() {
        NetworkSpec lenet = Preset.of("lenet").network();
        assertEquals(
                "784-reshape28x28x1-conv6k5same:relu-pool2-conv16k5:relu-pool2-flatten-120:relu-84:relu-10:softmax",
                lenet.toString());
        assertTrue(lenet.isConvolutional());
        assertEquals(61_706, lenet.parameterCount(), "Keras' LeNet-5 summary");
        assertEquals(10, Preset.of("cnn").network().outputs());
        assertTrue(!Preset.of("deep-mlp").network().isConvolutional());
    }

    @Test
    void convLayersDefaultToReluAndValidPadding() {
        assertEquals(
                "784-reshape28x28x1-conv8k3:relu-pool2-flatten-10:softmax",
                NetworkSpec.parse("784-reshape28x28x1-conv8k3-pool2-flatten-10").toString());
    }

    @Test
    void malformedConvSpecsSayWhatIsWrong() {
        assertMessage("784-reshape28x28x2-flatten-10", "holds 1568 values but its input 784 has 784");
        assertMessage("784-conv8k3-flatten-10", "expected a reshape before it");
        assertMessage("784-reshape28x28x1-conv8k3-10", "put flatten before it");
        assertMessage("784-reshape28x28x1-conv8x3-flatten-10", "expected convFkK[same][:ACTIVATION]");
        assertMessage("784-reshape28x28x1-conv8k30-flatten-10", "window is larger than its input 28×28×1");
        assertMessage("784-reshape28x28x1-pool0-flatten-10", "pool size (poolP, e.g. pool2) is '0'");
        assertMessage("784-reshape28x28x1-conv8k3", "the output layer is 'conv8k3'; expected a Dense layer");
    }

    @Test
    void malformedSpecsSayWhatIsWrong() {
        assertMessage("784", "has no layer");
        assertMessage("784-", "layer 1's units is ''");
        assertMessage("784-0:relu", "layer 1's units is '0'");
        assertMessage("x-10", "the input size is 'x'");
        assertMessage("784:relu-10", "the input '784:relu' takes no activation");
        assertMessage("784-10:sigmoidal", "unknown activation 'sigmoidal'");
        assertMessage("784-10:relu:x", "more than one ':'");
        assertMessage("784-dropout1.5-10", "rate in [0, 1)");
        assertMessage("784-dropout0.5", "only dropout layers");
        assertMessage("mlp-adamm", "or a preset: mlp-sgd, mlp-adam, deep-mlp, lenet, cnn");
    }

    private static void assertMessage(String spec, String expected) {
        UsageException e = assertThrows(UsageException.class, () -> NetworkSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
