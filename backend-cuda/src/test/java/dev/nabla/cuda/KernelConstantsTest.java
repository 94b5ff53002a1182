package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Philox;
import dev.nabla.kernels.KernelSources;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The constants the CUDA sources share with core: Philox's multipliers and key steps. (The op codes
 * are generated into nabla_opcodes.cuh; {@link OpCodesHeaderTest} checks them.)
 */
class KernelConstantsTest {
    private static final Pattern DEFINE = Pattern.compile("#define\\s+(\\w+)\\s+\\(?(-?(?:0x)?[0-9A-Fa-f]+)u?\\)?");

    private static Map<String, Long> defines(String file) throws IOException {
        Map<String, Long> defines = new HashMap<>();
        Matcher m = DEFINE.matcher(Files.readString(PtxEntriesTest.sources().resolve(file)));
        while (m.find()) {
            String value = m.group(2);
            defines.put(
                    m.group(1),
                    value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value));
        }
        return defines;
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
            assertTrue(
                    ptx.contains(", " + constant + ";")
                            || ptx.contains(", " + Integer.toUnsignedString(constant) + ";"),
                    "random.ptx does not multiply by Philox." + name + " = " + constant);
        }
    }
}
