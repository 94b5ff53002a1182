package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Philox;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.kernels.KernelSources;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The constants the CUDA sources share with core: op codes and Philox's multipliers and key steps. */
class KernelConstantsTest {
    private static final Pattern DEFINE = Pattern.compile("#define\\s+(\\w+)\\s+\\(?(-?(?:0x)?[0-9A-Fa-f]+)u?\\)?");

    private static Map<String, Long> defines(String file) throws IOException {
        Map<String, Long> defines = new HashMap<>();
        Matcher m = DEFINE.matcher(Files.readString(PtxEntriesTest.sources().resolve(file)));
        while (m.find()) {
            String value = m.group(2);
            defines.put(m.group(1), value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value));
        }
        return defines;
    }

    @Test
    void unaryCodesMatchTheHeader() throws IOException {
        Map<String, Long> h = defines("nabla_common.cuh");
        for (UnaryOp op : UnaryOp.values()) {
            assertEquals(h.get("NB_UNARY_" + op.name()), (long) OpCodes.unary(op), "NB_UNARY_" + op.name());
        }
        assertEquals(h.get("NB_UNARY_COUNT"), (long) UnaryOp.values().length, "NB_UNARY_COUNT");
        assertEquals(h.get("NB_UNARY_IDENTITY"), (long) OpCodes.IDENTITY, "NB_UNARY_IDENTITY");
    }

    @Test
    void binaryCodesMatchTheHeader() throws IOException {
        Map<String, Long> h = defines("nabla_common.cuh");
        for (BinaryOp op : BinaryOp.values()) {
            assertEquals(h.get("NB_BINARY_" + op.name()), (long) OpCodes.binary(op), "NB_BINARY_" + op.name());
        }
        assertEquals(h.get("NB_BINARY_COUNT"), (long) BinaryOp.values().length, "NB_BINARY_COUNT");
    }

    @Test
    void reduceAndRandomCodesMatchTheHeader() throws IOException {
        Map<String, Long> h = defines("nabla_common.cuh");
        for (ReduceOp op : ReduceOp.values()) {
            assertEquals(h.get("NB_REDUCE_" + op.name()), (long) OpCodes.reduce(op), "NB_REDUCE_" + op.name());
        }
        for (RandomKind kind : RandomKind.values()) {
            assertEquals(h.get("NB_RANDOM_" + kind.name()), (long) OpCodes.random(kind), "NB_RANDOM_" + kind.name());
        }
    }

    @Test
    void philoxConstantsMatchCoresReference() throws IOException, ReflectiveOperationException {
        Map<String, Long> r = defines("random.cu");
        for (String name : new String[] {"M0", "M1", "W0", "W1"}) {
            Field field = Philox.class.getDeclaredField(name);
            field.setAccessible(true);
            long reference = field.getInt(null) & 0xFFFFFFFFL;
            assertEquals(reference, r.get("NB_PHILOX_" + name), "NB_PHILOX_" + name);
        }
        assertEquals(10L, r.get("NB_PHILOX_ROUNDS"));
    }

    @Test
    void thePtxMultipliesByPhiloxsConstants() throws ReflectiveOperationException {
        String ptx = KernelSources.cudaPtx("random");
        for (String name : new String[] {"M0", "M1"}) {
            Field field = Philox.class.getDeclaredField(name);
            field.setAccessible(true);
            int constant = field.getInt(null);
            assertTrue(ptx.contains(", " + constant + ";") || ptx.contains(", " + Integer.toUnsignedString(constant) + ";"),
                    "random.ptx does not multiply by Philox." + name + " = " + constant);
        }
    }
}
