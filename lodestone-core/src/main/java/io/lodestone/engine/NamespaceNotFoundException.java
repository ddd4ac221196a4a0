package io.lodestone.engine;

/** The namespace does not exist (never written, or deleted). */
public class NamespaceNotFoundException extends RuntimeException {
    public NamespaceNotFoundException(String name) {
        super("namespace '" + name + "' not found");
    }

    /** Not found, with a more specific reason (e.g. deleted while a request waited). */
    public NamespaceNotFoundException(String name, String reason) {
        super("namespace '" + name + "' " + reason);
    }
}
