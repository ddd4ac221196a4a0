package io.lodestone.codec;

import java.util.zip.CRC32C;

/**
 * The one framing of every persisted object: header (magic, format name, version) and footer
 * (magic, body length, CRC32C of everything before the footer).
 *
 * <pre>
 * header: int32 HEADER_MAGIC | string format | varint version
 * body:   format-specific bytes
 * footer: int32 FOOTER_MAGIC | int64 bytes-before-footer | int32 CRC32C(bytes-before-footer)
 * </pre>
 */
public final class Frame {
    static final int HEADER_MAGIC = 0x4C445354; // "LDST"
    static final int FOOTER_MAGIC = 0x454E4421; // "END!"
    static final int FOOTER_BYTES = 16;

    private Frame() {
    }

    /** Starts a framed object: returns a writer with the header written. */
    public static BytesWriter begin(String format, int version, int bodySizeHint) {
        BytesWriter w = new BytesWriter(bodySizeHint + 64);
        w.writeInt(HEADER_MAGIC).writeString(format).writeVarInt(version);
        return w;
    }

    /** Appends the footer and returns the complete object bytes. */
    public static byte[] finish(BytesWriter w) {
        int bodyEnd = w.size();
        CRC32C crc = new CRC32C();
        crc.update(w.array(), 0, bodyEnd);
        w.writeInt(FOOTER_MAGIC).writeLong(bodyEnd).writeInt((int) crc.getValue());
        return w.toByteArray();
    }

    /**
     * Verifies footer and checksum, checks the format name and that the version is in
     * [minVersion, maxVersion], and returns a reader positioned at the body; {@link Opened#version()}
     * tells which version was found.
     */
    public static Opened open(byte[] bytes, String source, String format, int minVersion, int maxVersion) {
        if (bytes.length < FOOTER_BYTES + 4) {
            throw new CorruptObjectException(source, "only " + bytes.length + " bytes; file truncated?");
        }
        BytesReader footer = new BytesReader(bytes, bytes.length - FOOTER_BYTES, bytes.length, source);
        int magic = footer.readInt();
        long bodyEnd = footer.readLong();
        int stored = footer.readInt();
        if (magic != FOOTER_MAGIC || bodyEnd != bytes.length - FOOTER_BYTES) {
            throw new CorruptObjectException(source, "bad footer (magic " + Integer.toHexString(magic)
                    + ", length " + bodyEnd + " for " + bytes.length + " bytes); file truncated?");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, (int) bodyEnd);
        if ((int) crc.getValue() != stored) {
            throw new CorruptObjectException(source, "checksum mismatch: expected " + Integer.toHexString(stored)
                    + ", actual " + Integer.toHexString((int) crc.getValue()));
        }
        BytesReader r = new BytesReader(bytes, 0, (int) bodyEnd, source);
        if (r.readInt() != HEADER_MAGIC) throw new CorruptObjectException(source, "bad header magic");
        String actualFormat = r.readString();
        if (!actualFormat.equals(format)) {
            throw new CorruptObjectException(source, "expected format " + format + ", found " + actualFormat);
        }
        int version = r.readVarInt();
        if (version < minVersion || version > maxVersion) {
            throw new CorruptObjectException(source, "format " + format + " version " + version
                    + " not in supported range [" + minVersion + ", " + maxVersion + "]");
        }
        return new Opened(r, version);
    }

    /** A verified object: its body reader and version. */
    public record Opened(BytesReader body, int version) {
    }

}
