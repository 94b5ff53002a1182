package dev.nabla.samples.web;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recognizer's work on one request: every box preprocessed to the network's 28×28 input, and
 * (for "recognize") all boxes predicted in one batch. Builds the JSON answers of the two endpoints.
 */
final class Recognition {
    private final DigitPreprocessor preprocessor;
    private final DigitRecognizer recognizer;

    Recognition(DigitPreprocessor preprocessor, DigitRecognizer recognizer) {
        this.preprocessor = preprocessor;
        this.recognizer = recognizer;
    }

    /** {@code {"boxes": [{"empty": b, "input": [784 values]}, …]}}: what the network would see. */
    Map<String, Object> show(List<BufferedImage> boxes) {
        float[][] inputs = inputs(boxes);
        List<Object> out = new ArrayList<>();
        for (float[] input : inputs) {
            Map<String, Object> box = new LinkedHashMap<>();
            box.put("empty", DigitPreprocessor.isEmpty(input));
            box.put("input", rounded(input));
            out.add(box);
        }
        return Map.of("boxes", out);
    }

    /**
     * {@code {"model": "lenet (conv)", "digits": "7?210", "boxes": [{"empty", "digit", "probability", "probabilities", "input"}, …]}};
     * an empty box has digit null and shows as "?" in {@code digits}.
     */
    Map<String, Object> recognize(List<BufferedImage> boxes) {
        float[][] inputs = inputs(boxes);
        Prediction[] predictions = recognizer.predict(inputs);
        List<Object> out = new ArrayList<>();
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            Prediction p = predictions[i];
            Map<String, Object> box = new LinkedHashMap<>();
            box.put("empty", p.empty());
            box.put("digit", p.empty() ? null : p.digit());
            box.put("probability", p.empty() ? null : round(p.probability(), 4));
            box.put("probabilities", rounded(p.probabilities(), 4));
            box.put("input", rounded(inputs[i]));
            out.add(box);
            digits.append(p.empty() ? "?" : Integer.toString(p.digit()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("model", recognizer.name());
        answer.put("digits", digits.toString());
        answer.put("boxes", out);
        return answer;
    }

    private float[][] inputs(List<BufferedImage> boxes) {
        float[][] inputs = new float[boxes.size()][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = preprocessor.toInput(boxes.get(i));
        }
        return inputs;
    }

    private static List<Object> rounded(float[] values) {
        return rounded(values, 3);
    }

    private static List<Object> rounded(float[] values, int decimals) {
        List<Object> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(round(v, decimals));
        }
        return out;
    }

    /** Rounded to a few decimals; whole numbers as integers, so 0 and 1 take one character. */
    private static Number round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        double r = Math.round(v * scale) / scale;
        return r == Math.rint(r) ? (Number) (long) r : (Number) r;
    }
}
