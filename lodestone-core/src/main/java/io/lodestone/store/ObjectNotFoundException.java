package io.lodestone.store;

import java.io.IOException;

/** The requested key holds no object. */
public class ObjectNotFoundException extends IOException {
    public ObjectNotFoundException(String key) {
        super("no object at key '" + key + "'");
    }
}
