package io.lodestone.engine;

/** The namespace does not exist (never written, or deleted). */
public class NamespaceNotFoundException extends RuntimeException {
    public NamespaceNotFoundException(String name) {
        super("namespace '" + name + "' not found");
    }
}
