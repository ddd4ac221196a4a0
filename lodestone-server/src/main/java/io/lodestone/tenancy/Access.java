package io.lodestone.tenancy;

/** What a request does to a namespace; decides which scopes may make it. */
public enum Access {
    /** Queries, listings, metadata, cache hints. */
    READ,
    /** Writes and schema changes (the first one creates the namespace). */
    WRITE,
    /** Deleting a namespace. */
    DELETE
}
