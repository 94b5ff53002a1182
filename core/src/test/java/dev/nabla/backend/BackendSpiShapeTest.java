package dev.nabla.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The SPI stays small: a new backend implements at most 16 required primitives, and every fusion is optional. */
class BackendSpiShapeTest {
    private static Set<String> abstractMethods() {
        return Arrays.stream(Backend.class.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()))
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aBackendImplementsAtMostSixteenRequiredPrimitives() {
        Set<String> required = abstractMethods();
        assertTrue(required.size() <= 16, required.size() + " abstract methods: " + required);
        assertEquals(
                Set.of(
                        "name",
                        "deviceName",
                        "allocate",
                        "release",
                        "memoryStats",
                        "write",
                        "read",
                        "fill",
                        "copy",
                        "unary",
                        "binary",
                        "where",
                        "reduce",
                        "matmul",
                        "random",
                        "close"),
                required);
    }

    /** Default methods that are not operations on views: host transfers, capabilities, housekeeping. */
    private static final Set<String> NOT_OPERATIONS =
            Set.of("writeRows", "supports", "hostAddressable", "emptyCache", "synchronize", "capture");

    @Test
    void everyFusedOperationHasItsCompositionAsTheDefault() throws NoSuchMethodException {
        for (Method fused : Backend.class.getMethods()) {
            if (!fused.isDefault() || NOT_OPERATIONS.contains(fused.getName())) {
                continue;
            }
            Class<?>[] parameters = new Class<?>[fused.getParameterCount() + 1];
            parameters[0] = Backend.class;
            System.arraycopy(fused.getParameterTypes(), 0, parameters, 1, fused.getParameterCount());
            assertTrue(
                    Modifier.isStatic(Compositions.class
                            .getMethod(fused.getName(), parameters)
                            .getModifiers()),
                    fused.getName() + " has a composition");
        }
    }
}
