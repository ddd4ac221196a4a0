package io.lodestone.region;

import java.util.Collection;

/** A region name this server does not serve: the client named it, so it answers 400. */
public final class UnknownRegionException extends RuntimeException {

    public UnknownRegionException(String name, Collection<String> known) {
        super("unknown region '" + name + "'; this server serves: " + String.join(", ", known));
    }
}
