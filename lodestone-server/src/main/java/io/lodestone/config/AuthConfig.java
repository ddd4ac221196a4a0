package io.lodestone.config;

import java.util.Optional;

/**
 * {@code [auth]}: API keys. {@link #toString()} never shows the admin key.
 *
 * @param enabled              {@code enabled}: require an API key on every route but {@code /health} and
 *                             {@code /ready}; default false
 * @param adminKey             {@code admin_key}: an admin key of the default tenant, accepted as well as the keys
 *                             stored in the bucket; at least 32 characters; default none (the first server with auth
 *                             on generates one and prints it once)
 * @param allowUnauthenticated {@code allow_unauthenticated}: allow auth off on a non-loopback address (logs a
 *                             warning); default false, and such a start is refused
 */
public record AuthConfig(boolean enabled, Optional<String> adminKey, boolean allowUnauthenticated) {
    /** Shortest accepted {@code admin_key}: 32 characters of a random key hold 190+ bits. */
    public static final int MIN_ADMIN_KEY_LENGTH = 32;

    public static AuthConfig defaults() {
        return new AuthConfig(false, Optional.empty(), false);
    }

    static AuthConfig bind(Section s) {
        AuthConfig d = defaults();
        Optional<String> key = s.optionalString("admin_key");
        if (key.isPresent() && key.get().length() < MIN_ADMIN_KEY_LENGTH) {
            s.problem("admin_key", "must be at least " + MIN_ADMIN_KEY_LENGTH + " characters (a random secret); it is "
                    + key.get().length());
        }
        return new AuthConfig(s.bool("enabled", d.enabled()), key, s.bool("allow_unauthenticated", d.allowUnauthenticated()));
    }

    @Override
    public String toString() {
        return "AuthConfig[enabled=" + enabled + ", adminKey=" + (adminKey.isPresent() ? "(hidden)" : "none")
                + ", allowUnauthenticated=" + allowUnauthenticated + "]";
    }
}
