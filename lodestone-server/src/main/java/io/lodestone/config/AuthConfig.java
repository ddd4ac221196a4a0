package io.lodestone.config;

import java.util.List;

/**
 * {@code [auth]}: API keys. {@link #toString()} never shows the keys.
 *
 * @param enabled {@code enabled}: require {@code Authorization: Bearer <key>} on every route but {@code /health};
 *                default false
 * @param apiKeys {@code api_keys}: keys accepted when enabled; from the environment, a comma-separated list;
 *                default none
 */
public record AuthConfig(boolean enabled, List<String> apiKeys) {

    public AuthConfig {
        apiKeys = List.copyOf(apiKeys);
    }

    public static AuthConfig defaults() {
        return new AuthConfig(false, List.of());
    }

    static AuthConfig bind(Section s) {
        AuthConfig d = defaults();
        return new AuthConfig(s.bool("enabled", d.enabled()), s.strings("api_keys", d.apiKeys()));
    }

    @Override
    public String toString() {
        return "AuthConfig[enabled=" + enabled + ", apiKeys=(" + apiKeys.size() + " hidden)]";
    }
}
