package dev.nabla.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dynamic-linking facts of a 64-bit little-endian ELF shared library, read from its section
 * headers: SONAME, DT_NEEDED, symbol version definitions and needs, and the dynamic symbols with
 * their versions. What {@code readelf -d -V --dyn-syms} shows, without binutils.
 */
final class ElfDynamic {
    /** A dynamic symbol; version is null for unversioned ones, file is the verneed file of an import. */
    record Symbol(String name, boolean defined, String version, String file) {}

    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_DYNSYM = 11;
    private static final int SHT_GNU_VERDEF = 0x6ffffffd;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final int SHT_GNU_VERSYM = 0x6fffffff;
    private static final long DT_NEEDED = 1;
    private static final long DT_SONAME = 14;

    private record Section(int type, long offset, long size, int link, int info) {}

    private final ByteBuffer data;
    private final List<Section> sections = new ArrayList<>();
    private String soname;
    private final List<String> needed = new ArrayList<>();
    private final Map<Integer, String> definitionsByIndex = new LinkedHashMap<>();
    private final Map<Integer, String[]> needsByIndex = new HashMap<>(); // index -> {file, version}
    private final List<Symbol> symbols = new ArrayList<>();

    private ElfDynamic(byte[] bytes) {
        data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 64 || data.getInt(0) != 0x464c457f || bytes[4] != 2 || bytes[5] != 1) {
            throw new IllegalArgumentException("not a 64-bit little-endian ELF file");
        }
        long sectionTable = data.getLong(0x28);
        int entrySize = Short.toUnsignedInt(data.getShort(0x3a));
        int count = Short.toUnsignedInt(data.getShort(0x3c));
        for (int i = 0; i < count; i++) {
            int at = (int) (sectionTable + (long) i * entrySize);
            sections.add(new Section(
                    data.getInt(at + 4),
                    data.getLong(at + 0x18),
                    data.getLong(at + 0x20),
                    data.getInt(at + 0x28),
                    data.getInt(at + 0x2c)));
        }
        for (Section section : sections) {
            switch (section.type()) {
                case SHT_DYNAMIC -> readDynamic(section);
                case SHT_GNU_VERDEF -> readDefinitions(section);
                case SHT_GNU_VERNEED -> readNeeds(section);
                default -> {}
            }
        }
        readSymbols();
    }

    static ElfDynamic parse(byte[] bytes) {
        return new ElfDynamic(bytes);
    }

    String soname() {
        return soname;
    }

    List<String> needed() {
        return List.copyOf(needed);
    }

    /** Version nodes this library defines (the base entry, its own file name, included). */
    Set<String> versionDefinitions() {
        return new LinkedHashSet<>(definitionsByIndex.values());
    }

    /** Version nodes this library needs, by the file (SONAME) that must define them. */
    Map<String, Set<String>> versionNeeds() {
        Map<String, Set<String>> byFile = new LinkedHashMap<>();
        for (String[] need : needsByIndex.values()) {
            byFile.computeIfAbsent(need[0], f -> new LinkedHashSet<>()).add(need[1]);
        }
        return byFile;
    }

    List<Symbol> dynamicSymbols() {
        return List.copyOf(symbols);
    }

    private void readDynamic(Section section) {
        Section strings = sections.get(section.link());
        for (long at = section.offset(); at + 16 <= section.offset() + section.size(); at += 16) {
            long tag = data.getLong((int) at);
            long value = data.getLong((int) at + 8);
            if (tag == DT_NEEDED) {
                needed.add(string(strings, value));
            } else if (tag == DT_SONAME) {
                soname = string(strings, value);
            }
        }
    }

    private void readDefinitions(Section section) {
        Section strings = sections.get(section.link());
        int at = (int) section.offset();
        for (int i = 0; i < section.info(); i++) {
            int index = Short.toUnsignedInt(data.getShort(at + 4));
            int aux = data.getInt(at + 12);
            definitionsByIndex.put(index, string(strings, Integer.toUnsignedLong(data.getInt(at + aux))));
            int next = data.getInt(at + 16);
            if (next == 0) {
                break;
            }
            at += next;
        }
    }

    private void readNeeds(Section section) {
        Section strings = sections.get(section.link());
        int at = (int) section.offset();
        for (int i = 0; i < section.info(); i++) {
            int auxCount = Short.toUnsignedInt(data.getShort(at + 2));
            String file = string(strings, Integer.toUnsignedLong(data.getInt(at + 4)));
            int aux = at + data.getInt(at + 8);
            for (int j = 0; j < auxCount; j++) {
                int index = Short.toUnsignedInt(data.getShort(aux + 6));
                String version = string(strings, Integer.toUnsignedLong(data.getInt(aux + 8)));
                needsByIndex.put(index, new String[] {file, version});
                int nextAux = data.getInt(aux + 12);
                if (nextAux == 0) {
                    break;
                }
                aux += nextAux;
            }
            int next = data.getInt(at + 12);
            if (next == 0) {
                break;
            }
            at += next;
        }
    }

    private void readSymbols() {
        Section table = null;
        Section versions = null;
        for (Section section : sections) {
            if (section.type() == SHT_DYNSYM) {
                table = section;
            } else if (section.type() == SHT_GNU_VERSYM) {
                versions = section;
            }
        }
        if (table == null) {
            return;
        }
        Section strings = sections.get(table.link());
        int count = (int) (table.size() / 24);
        for (int i = 1; i < count; i++) {
            int at = (int) (table.offset() + 24L * i);
            String name = string(strings, Integer.toUnsignedLong(data.getInt(at)));
            boolean defined = data.getShort(at + 6) != 0;
            String version = null;
            String file = null;
            if (versions != null) {
                int index = Short.toUnsignedInt(data.getShort((int) (versions.offset() + 2L * i))) & 0x7fff;
                if (defined) {
                    version = index > 1 ? definitionsByIndex.get(index) : null;
                } else if (needsByIndex.containsKey(index)) {
                    file = needsByIndex.get(index)[0];
                    version = needsByIndex.get(index)[1];
                }
            }
            symbols.add(new Symbol(name, defined, version, file));
        }
    }

    private String string(Section strings, long offset) {
        int start = (int) (strings.offset() + offset);
        int end = start;
        while (data.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        data.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
