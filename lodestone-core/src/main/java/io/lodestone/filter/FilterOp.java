package io.lodestone.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A condition operator, with its turbopuffer wire name. Wire names are case-sensitive and written
 * through {@link #wireName()}, never by {@code name()} or {@code ordinal()}.
 *
 * <p>Every {@code Not…} operator is the exact negation of its positive form ({@link #positive()}):
 * {@code [a, "NotEq", v]} matches exactly the documents {@code ["Not", [a, "Eq", v]]} matches, so a
 * negated operator matches documents that lack the attribute.
 */
public enum FilterOp {
    EQ("Eq"), NOT_EQ("NotEq"),
    IN("In"), NOT_IN("NotIn"),
    LT("Lt"), LTE("Lte"), GT("Gt"), GTE("Gte"),
    CONTAINS("Contains"), NOT_CONTAINS("NotContains"),
    CONTAINS_ANY("ContainsAny"), NOT_CONTAINS_ANY("NotContainsAny"),
    GLOB("Glob"), NOT_GLOB("NotGlob"), IGLOB("IGlob"), NOT_IGLOB("NotIGlob"),
    REGEX("Regex"),
    CONTAINS_ALL_TOKENS("ContainsAllTokens"), CONTAINS_ANY_TOKEN("ContainsAnyToken");

    private final String wireName;

    FilterOp(String wireName) { this.wireName = wireName; }

    /** The turbopuffer name, e.g. {@code NotEq}. */
    public String wireName() { return wireName; }

    /** The operator for a wire name (case-sensitive), or empty when there is none. */
    public static Optional<FilterOp> fromWireName(String name) {
        for (FilterOp op : values()) {
            if (op.wireName.equals(name)) return Optional.of(op);
        }
        return Optional.empty();
    }

    /** All wire names, comma separated, for error messages. */
    public static String wireNames() {
        List<String> names = new ArrayList<>();
        for (FilterOp op : values()) names.add(op.wireName);
        return String.join(", ", names);
    }

    /** Whether this operator negates another one ({@code NotEq}, {@code NotIn}, …). */
    public boolean isNegated() { return this != positive(); }

    /** The operator this one negates; itself when it is not negated. */
    public FilterOp positive() {
        return switch (this) {
            case NOT_EQ -> EQ;
            case NOT_IN -> IN;
            case NOT_CONTAINS -> CONTAINS;
            case NOT_CONTAINS_ANY -> CONTAINS_ANY;
            case NOT_GLOB -> GLOB;
            case NOT_IGLOB -> IGLOB;
            default -> this;
        };
    }

    /** {@code Lt}, {@code Lte}, {@code Gt} or {@code Gte}. */
    public boolean isOrdering() {
        return this == LT || this == LTE || this == GT || this == GTE;
    }

    /** The four glob operators. */
    public boolean isGlob() {
        return positive() == GLOB || positive() == IGLOB;
    }

    /** The full-text token operators. */
    public boolean isToken() {
        return this == CONTAINS_ALL_TOKENS || this == CONTAINS_ANY_TOKEN;
    }

    /** Operators whose value is a list: In, NotIn, ContainsAny, NotContainsAny. */
    public boolean takesList() {
        return positive() == IN || positive() == CONTAINS_ANY;
    }
}
