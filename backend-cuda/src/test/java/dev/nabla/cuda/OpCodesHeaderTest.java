package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.OpCodes;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * kernels/src/main/cuda/nabla_opcodes.cuh, the CUDA kernels' op codes, is generated from core's
 * {@link OpCodes} (the one numbering the OpenCL backend also uses) and committed, because the
 * committed PTX is built from it. This test fails when the committed header differs from what the
 * enums generate; regenerate it with
 * {@code mvn -o -q -pl backend-cuda -am test -Dtest=OpCodesHeaderTest -Dsurefire.failIfNoSpecifiedTests=false -Dnabla.opcodes.write=true -Dexec.skip=true},
 * then rebuild the PTX with {@code kernels/build-ptx.sh --update} and commit both. ({@code -Dexec.skip=true}
 * skips the build's PTX check, which fails while the header is new and the PTX not yet rebuilt.)
 */
class OpCodesHeaderTest {
    static final String HEADER = "nabla_opcodes.cuh";
    private static final Pattern DEFINE = Pattern.compile("#define\\s+(NB_\\w+)\\s+\\(?(-?\\d+)\\)?");

    /** The text of nabla_opcodes.cuh as the enums define it. */
    static String generate() {
        return "// GENERATED from dev.nabla.backend.OpCodes (core's UnaryOp, BinaryOp, ReduceOp, RandomKind); do not edit.\n"
                + "// Regenerate: mvn -o -q -pl backend-cuda -am test -Dtest=OpCodesHeaderTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dnabla.opcodes.write=true -Dexec.skip=true\n"
                + "// then rebuild the PTX: kernels/build-ptx.sh --update\n"
                + "#pragma once\n"
                + "\n// UnaryOp\n" + OpCodes.defines("NB_UNARY_", UnaryOp.class)
                + "#define NB_UNARY_COUNT " + UnaryOp.values().length + "\n"
                + "// biasActivation without an activation\n"
                + "#define NB_UNARY_IDENTITY (" + OpCodes.IDENTITY + ")\n"
                + "\n// BinaryOp\n" + OpCodes.defines("NB_BINARY_", BinaryOp.class)
                + "#define NB_BINARY_COUNT " + BinaryOp.values().length + "\n"
                + "\n// ReduceOp\n" + OpCodes.defines("NB_REDUCE_", ReduceOp.class)
                + "\n// RandomKind\n" + OpCodes.defines("NB_RANDOM_", RandomKind.class);
    }

    /** Writes the header (to {@code args[0]} if given), the same as the test with {@code -Dnabla.opcodes.write=true}. */
    public static void main(String[] args) throws IOException {
        Path file =
                args.length > 0 ? Path.of(args[0]) : PtxEntriesTest.sources().resolve(HEADER);
        Files.writeString(file, generate(), StandardCharsets.UTF_8);
    }

    @Test
    void theCommittedHeaderIsWhatTheEnumsGenerate() throws IOException {
        Path file = PtxEntriesTest.sources().resolve(HEADER);
        String expected = generate();
        if (Boolean.getBoolean("nabla.opcodes.write")) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertEquals(
                expected,
                committed,
                "kernels/src/main/cuda/" + HEADER + " is stale; regenerate it with"
                        + " -Dnabla.opcodes.write=true (see this class), then run kernels/build-ptx.sh --update");
    }

    @Test
    void everyCodeInTheHeaderMatchesJava() throws IOException {
        Map<String, Long> h = new HashMap<>();
        Matcher m = DEFINE.matcher(Files.readString(PtxEntriesTest.sources().resolve(HEADER)));
        while (m.find()) {
            h.put(m.group(1), Long.parseLong(m.group(2)));
        }
        for (UnaryOp op : UnaryOp.values()) {
            assertEquals((long) OpCodes.of(op), h.get("NB_UNARY_" + op.name()), "NB_UNARY_" + op.name());
        }
        assertEquals((long) UnaryOp.values().length, h.get("NB_UNARY_COUNT"), "NB_UNARY_COUNT");
        assertEquals((long) OpCodes.IDENTITY, h.get("NB_UNARY_IDENTITY"), "NB_UNARY_IDENTITY");
        for (BinaryOp op : BinaryOp.values()) {
            assertEquals((long) OpCodes.of(op), h.get("NB_BINARY_" + op.name()), "NB_BINARY_" + op.name());
        }
        assertEquals((long) BinaryOp.values().length, h.get("NB_BINARY_COUNT"), "NB_BINARY_COUNT");
        for (ReduceOp op : ReduceOp.values()) {
            assertEquals((long) OpCodes.of(op), h.get("NB_REDUCE_" + op.name()), "NB_REDUCE_" + op.name());
        }
        for (RandomKind kind : RandomKind.values()) {
            assertEquals((long) OpCodes.of(kind), h.get("NB_RANDOM_" + kind.name()), "NB_RANDOM_" + kind.name());
        }
    }

    @Test
    void theKernelsTakeTheirCodesOnlyFromTheGeneratedHeader() throws IOException {
        String common = Files.readString(PtxEntriesTest.sources().resolve("nabla_common.cuh"));
        assertTrue(common.contains("#include \"" + HEADER + "\""), "nabla_common.cuh must include " + HEADER);
        assertFalse(
                Pattern.compile("#define\\s+NB_(UNARY|BINARY|REDUCE|RANDOM)_")
                        .matcher(common)
                        .find(),
                "op codes are defined only in the generated " + HEADER);
    }

    @Test
    void theCodesAreDistinctAndDenseFromZero() {
        for (Class<? extends Enum<?>> type :
                java.util.List.of(UnaryOp.class, BinaryOp.class, ReduceOp.class, RandomKind.class)) {
            Enum<?>[] constants = type.getEnumConstants();
            for (int i = 0; i < constants.length; i++) {
                assertTrue(
                        OpCodes.defines("P_", type).contains("#define P_" + constants[i].name() + " " + i + "\n"),
                        type.getSimpleName() + "." + constants[i].name());
            }
        }
        assertTrue(OpCodes.IDENTITY < 0, "IDENTITY is no op's code");
    }
}
