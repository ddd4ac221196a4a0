package io.lodestone.tenancy;

import io.lodestone.doc.InvalidInputException;

import java.util.Locale;

/** What a key may do within its tenant. */
public enum Scope {
    /** Everything {@link #READ_WRITE} may, and the tenant's keys through the admin API (the operator tenant's: every tenant). */
    ADMIN,
    /** Reads, writes, deletes and schema changes of the tenant's namespaces. */
    READ_WRITE,
    /** Queries, listings and metadata only. */
    READ_ONLY;

    /** The name on the wire: {@code admin}, {@code read_write}, {@code read_only}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope a wire name names, or 400. */
    public static Scope parse(String s) {
        for (Scope v : values()) if (v.wireName().equals(s)) return v;
        throw new InvalidInputException("scope must be one of admin, read_write, read_only; got '" + s + "'");
    }

    /** Whether a key of this scope may do what {@code access} asks. */
    boolean allows(Access access) {
        return switch (access) {
            case READ -> true;
            case WRITE, DELETE -> this != READ_ONLY;
        };
    }
}
