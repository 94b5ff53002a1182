package dev.nabla.data;

/**
 * The element types of the IDX format: the third byte of an IDX file's magic number.
 *
 * <p>Multi-byte values are big-endian, as the format prescribes.
 */
public enum IdxType {
    UBYTE(0x08, 1, "unsigned byte"),
    BYTE(0x09, 1, "signed byte"),
    SHORT(0x0B, 2, "16-bit int"),
    INT(0x0C, 4, "32-bit int"),
    FLOAT(0x0D, 4, "32-bit float"),
    DOUBLE(0x0E, 8, "64-bit float");

    private final int code;
    private final int bytes;
    private final String description;

    IdxType(int code, int bytes, String description) {
        this.code = code;
        this.bytes = bytes;
        this.description = description;
    }

    /** The type code as written in the magic number (0x08 for ubyte …). */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether values are integers (every type but FLOAT and DOUBLE). */
    public boolean isInteger() {
        return this != FLOAT && this != DOUBLE;
    }

    /** The type with this code, or null when no IDX type has it. */
    public static IdxType ofCode(int code) {
        for (IdxType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }

    /** All codes and names, for error messages: "0x08 (ubyte), 0x09 (byte), …". */
    static String allCodes() {
        StringBuilder out = new StringBuilder();
        for (IdxType type : values()) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(String.format("0x%02X (%s)", type.code, type.name().toLowerCase()));
        }
        return out.toString();
    }

    /** What the type holds, in words ("unsigned byte" …). */
    public String description() {
        return description;
    }

    /** The lower-case name used in IDX file names and messages: "ubyte", "float" …. */
    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
