package io.lodestone.engine;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The namespaces stored under one key prefix of a database's store: one tenant's. Namespaces of different roots never
 * see each other, even with equal names: each root has its own catalog ({@code {prefix}catalog/}) and data
 * ({@code {prefix}ns/}). Obtain one with {@link Lodestone#root(String)}. Thread-safe.
 */
public final class NamespaceRoot {
    /** Prefixes are path-like keys of safe characters ending in '/', so no name below one can escape it. */
    private static final Pattern PREFIX = Pattern.compile("([a-z0-9][a-z0-9_-]{0,63}/){1,4}");

    private final Lodestone db;
    private final String prefix;
    private final Catalog catalog;

    NamespaceRoot(Lodestone db, String prefix, Catalog catalog) {
        this.db = db;
        this.prefix = prefix;
        this.catalog = catalog;
    }

    /** {@code prefix}, or {@link IllegalArgumentException} when it is not 1-4 segments of {@code [a-z0-9][a-z0-9_-]*} each ending in '/'. */
    static String validPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a namespace root is 1-4 segments of [a-z0-9][a-z0-9_-]{0,63}, each ending in '/'; got '"
                    + prefix + "'");
        }
        return prefix;
    }

    /** The key prefix of this root's objects. */
    public String prefix() {
        return prefix;
    }

    /**
     * The namespace handle (the namespace itself is created by its first write). Handles of namespaces that turn out
     * not to exist are not kept, so asking about arbitrary names holds no memory.
     */
    public Namespace namespace(String name) {
        return db.namespace(this, NamespaceNames.validate(name));
    }

    /** Names of existing namespaces starting with {@code namePrefix}, after {@code cursor}, ascending. */
    public List<String> listNamespaces(String namePrefix, String cursor, int limit) {
        try {
            return catalog.list(namePrefix, cursor, limit);
        } catch (IOException e) {
            throw new StorageException("listing namespaces failed: " + e.getMessage(), e);
        }
    }

    Catalog catalog() {
        return catalog;
    }
}
