package io.lodestone.store;

import java.io.IOException;

/**
 * A response body ended before the length its headers announced (a connection closed mid-body, or a
 * range shorter than the one the server said it sent). Transient: the request is retried.
 */
final class TruncatedResponseException extends IOException {
    TruncatedResponseException(String key, long received, long announced) {
        super("response for key '" + key + "' ended after " + received + " of " + announced + " bytes");
    }
}
