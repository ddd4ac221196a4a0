package io.lodestone.doc;

import java.util.Locale;

/**
 * The type of an attribute. Java value classes: {@code string}→String, {@code int}/{@code uint}→Long,
 * {@code float}→Double, {@code uuid}→UUID, {@code datetime}→Instant, {@code bool}→Boolean, and an
 * array type → {@code List} of the element class. {@code uint} is limited to [0, 2^63-1].
 */
public enum AttributeType {
    STRING("string"), INT("int"), UINT("uint"), FLOAT("float"), UUID("uuid"), DATETIME("datetime"), BOOL("bool"),
    STRING_ARRAY("[]string"), INT_ARRAY("[]int"), UINT_ARRAY("[]uint"), FLOAT_ARRAY("[]float"),
    UUID_ARRAY("[]uuid"), DATETIME_ARRAY("[]datetime"), BOOL_ARRAY("[]bool");

    private final String wireName;

    AttributeType(String wireName) { this.wireName = wireName; }

    /** The turbopuffer name, e.g. {@code []string}. */
    public String wireName() { return wireName; }

    public boolean isArray() { return wireName.startsWith("[]"); }

    /** Element type of an array type; the type itself otherwise. */
    public AttributeType elementType() {
        return isArray() ? parse(wireName.substring(2)) : this;
    }

    /** Array type whose elements are of this scalar type. */
    public AttributeType arrayOf() {
        if (isArray()) throw new IllegalStateException("nested arrays are not supported: " + wireName);
        return parse("[]" + wireName);
    }

    /** Parses a turbopuffer type name; throws {@link IllegalArgumentException} naming the valid ones. */
    public static AttributeType parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (AttributeType t : values()) {
            if (t.wireName.equals(n)) return t;
        }
        throw new IllegalArgumentException("unknown attribute type '" + name
                + "'; expected one of string, int, uint, float, uuid, datetime, bool or an array []T of them");
    }
}
