package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The three schedules of the course notes' worked examples, with Keras' semantics. */
class LearningRateScheduleTest {

    @Test
    void piecewiseConstantDecayHoldsEachValueUpToAndIncludingItsBoundary() {
        var schedule = new PiecewiseConstantDecay(new long[] {700, 900}, new double[] {0.1, 0.05, 0.01});
        assertEquals(0.1, schedule.at(0));
        assertEquals(0.1, schedule.at(700));
        assertEquals(0.05, schedule.at(701));
        assertEquals(0.05, schedule.at(900));
        assertEquals(0.01, schedule.at(901));
        assertEquals(0.01, schedule.at(100_000));
    }

    @Test
    void exponentialDecayHalvesEveryFiveHundredSteps() {
        var smooth = new ExponentialDecay(0.1, 500, 0.5, false);
        assertEquals(0.1, smooth.at(0), 1e-12);
        assertEquals(0.1 * Math.sqrt(0.5), smooth.at(250), 1e-12); // 0.0707…
        assertEquals(0.05, smooth.at(500), 1e-12);
        assertEquals(0.1 * Math.pow(0.5, 1.5), smooth.at(750), 1e-12);
        assertEquals(0.025, smooth.at(1000), 1e-12);
    }

    @Test
    void exponentialDecayWithStaircaseFloorsTheExponent() {
        var stairs = new ExponentialDecay(0.1, 500, 0.5, true);
        assertEquals(0.1, stairs.at(0), 1e-12);
        assertEquals(0.1, stairs.at(499), 1e-12);
        assertEquals(0.05, stairs.at(500), 1e-12);
        assertEquals(0.05, stairs.at(999), 1e-12);
        assertEquals(0.025, stairs.at(1000), 1e-12);
    }

    @Test
    void polynomialDecayFollowsFieldsFormulaAndStaysAtTheEndValue() {
        var poly = new PolynomialDecay(0.1, 900, 0.01, 0.5);
        for (long step : new long[] {0, 1, 225, 450, 899, 900, 901, 5000}) {
            double clipped = Math.min(step, 900);
            double expected = (0.1 - 0.01) * Math.pow(1 - clipped / 900, 0.5) + 0.01;
            assertEquals(expected, poly.at(step), 1e-12, "step " + step);
        }
        assertEquals(0.1, poly.at(0), 1e-12);
        assertEquals(0.09 * Math.sqrt(0.75) + 0.01, poly.at(225), 1e-12); // 0.0779…
        assertEquals(0.01, poly.at(900), 1e-12);
    }

    @Test
    void polynomialDecayWithCycleRestartsFromAHigherRate() {
        var cycling = new PolynomialDecay(0.1, 100, 0.0, 1.0, true);
        assertEquals(0.05, cycling.at(50), 1e-12);
        assertEquals(0.0, cycling.at(100), 1e-12);
        assertEquals(0.1 * (1 - 150.0 / 200), cycling.at(150), 1e-12);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new PiecewiseConstantDecay(new long[] {700, 900}, new double[] {0.1}));
        assertThrows(
                IllegalArgumentException.class,
                () -> new PiecewiseConstantDecay(new long[] {900, 700}, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.1, 0, 0.5, false));
        assertThrows(IllegalArgumentException.class, () -> new PolynomialDecay(0.1, -1, 0.01, 0.5));
    }

    @Test
    void schedulesSurviveAConfigRoundTrip() {
        for (LearningRateSchedule s : new LearningRateSchedule[] {
            new PiecewiseConstantDecay(new long[] {700, 900}, new double[] {0.1, 0.05, 0.01}),
            new ExponentialDecay(0.1, 500, 0.5, true),
            new PolynomialDecay(0.1, 900, 0.01, 0.5)
        }) {
            var map = new java.util.LinkedHashMap<String, Object>();
            map.put("class_name", s.name());
            map.put("config", s.config());
            LearningRateSchedule again = Optimizers.schedule(dev.nabla.io.Json.parse(dev.nabla.io.Json.write(map)));
            for (long step : new long[] {0, 250, 500, 701, 899, 1000}) {
                assertEquals(s.at(step), again.at(step), 1e-15, s.name() + " at " + step);
            }
        }
    }
}
