package io.lodestone.tenancy;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns the key a request presents ({@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}) into a
 * {@link Principal}. Key records and tenants are read from the store and cached for at most {@link #REVOCATION_BOUND},
 * so a revoked key, a deleted tenant or a changed quota takes effect on every server within that bound (at once on
 * the server that made the change). Unknown ids are cached too, so guessing costs the store nothing more.
 *
 * <p>Keys that authenticated and tenants used in the last {@link #KEEP_FRESH_FOR} are reloaded in the background every
 * half bound, so a request
 * never waits for one (a store round trip before the query's own, each time a key or tenant had been idle for the
 * bound): one GET per record in use per 2.5 s. A reload that fails leaves the record to expire at the bound as before.
 */
public final class Authenticator implements AutoCloseable {
    /** Longest time a server goes on accepting a revoked key or serving a stale tenant. */
    public static final Duration REVOCATION_BOUND = Duration.ofSeconds(5);
    private static final java.util.concurrent.Executor RELOADS = java.util.concurrent.Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("auth-reload-", 0).factory());
    private static final String BEARER = "bearer ";

    /** How long after its last use a key or tenant record is still kept fresh in the background. */
    public static final Duration KEEP_FRESH_FOR = Duration.ofMinutes(10);

    private final boolean enabled;
    private final byte[] configuredAdminDigest;
    private final LoadingCache<String, Optional<KeyRecord>> keys;
    private final LoadingCache<String, Optional<Tenant>> tenants;
    private final Map<String, Long> keysUsed = new ConcurrentHashMap<>();
    private final Map<String, Long> tenantsUsed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("auth-refresh").daemon().factory());

    /**
     * @param configuredAdminKey the {@code auth.admin_key} (an admin key of the default tenant), or null; held only
     *                           as its SHA-256
     */
    public Authenticator(Tenants store, boolean enabled, String configuredAdminKey) {
        this.enabled = enabled;
        this.configuredAdminDigest = configuredAdminKey == null ? null : ApiKeys.digest(configuredAdminKey);
        this.keys = cache().build(id -> io(() -> store.findKey(id)));
        this.tenants = cache().build(name -> io(() -> store.find(name)));
        long period = REVOCATION_BOUND.toMillis() / 2;
        refresher.scheduleAtFixedRate(this::refreshUsed, period, period, TimeUnit.MILLISECONDS);
    }

    /** Starts reloading the records used within {@link #KEEP_FRESH_FOR} (on virtual threads); forgets older uses. */
    private void refreshUsed() {
        long oldest = System.nanoTime() - KEEP_FRESH_FOR.toNanos();
        refresh(keysUsed, keys, oldest);
        refresh(tenantsUsed, tenants, oldest);
    }

    private static <V> void refresh(Map<String, Long> used, LoadingCache<String, V> cache, long oldest) {
        for (var e : used.entrySet()) {
            if (e.getValue() - oldest < 0) used.remove(e.getKey(), e.getValue());
            else cache.refresh(e.getKey());
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }

    /**
     * Entries are reloaded in the background once half the revocation bound old, at the next use, so that a key or
     * tenant in use is never waited for (a store round trip every few seconds on some request); one older than the
     * bound is never served, but loaded again first. Reloads are store reads: they run on virtual threads.
     */
    private static Caffeine<Object, Object> cache() {
        return Caffeine.newBuilder().refreshAfterWrite(REVOCATION_BOUND.dividedBy(2)).expireAfterWrite(REVOCATION_BOUND)
                .executor(RELOADS).maximumSize(100_000);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The principal of a request's credentials.
     *
     * @throws UnauthenticatedException when auth is on and the key is missing, malformed, unknown, revoked or expired
     */
    public Principal authenticate(String authorization, String apiKeyHeader) {
        if (!enabled) return Principal.UNAUTHENTICATED;
        String key = presentedKey(authorization, apiKeyHeader);
        if (configuredAdminDigest != null && ApiKeys.matches(configuredAdminDigest, ApiKeys.digest(key))) {
            return new Principal(Tenants.DEFAULT, Scope.ADMIN, null, "config");
        }
        ApiKeys.Presented p = ApiKeys.parse(key).orElseThrow(() -> new UnauthenticatedException("invalid API key"));
        KeyRecord k = keys.get(p.id()).orElse(null);
        // The id is public, so refusing an unknown one without comparing a digest reveals nothing secret.
        if (k == null || !ApiKeys.matches(k.digest(), ApiKeys.digest(k.salt(), p.secret()))) {
            throw new UnauthenticatedException("invalid API key");
        }
        // Only keys presented with their secret are kept fresh: guessed ids must not buy background reads.
        keysUsed.put(p.id(), System.nanoTime());
        if (k.expired(Instant.now())) throw new UnauthenticatedException("API key " + k.id() + " expired at " + k.expiresAt());
        if (tenant(k.tenant()).isEmpty()) throw new UnauthenticatedException("invalid API key");
        return new Principal(k.tenant(), k.scope(), k.namespacePrefix(), k.id());
    }

    private static String presentedKey(String authorization, String apiKeyHeader) {
        if (authorization != null && !authorization.isBlank()) {
            if (!authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
                throw new UnauthenticatedException("the Authorization header must be 'Bearer <API key>'");
            }
            return authorization.substring(BEARER.length()).trim();
        }
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) return apiKeyHeader.trim();
        throw new UnauthenticatedException("an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
    }

    /** The tenant, through the cache (absent when it does not exist). */
    public Optional<Tenant> tenant(String name) {
        tenantsUsed.put(name, System.nanoTime());
        return tenants.get(name);
    }

    /** Forgets what this server cached about a key, so a change made here applies at once. */
    public void forgetKey(String id) {
        keys.invalidate(id);
    }

    /** Forgets what this server cached about a tenant. */
    public void forgetTenant(String name) {
        tenants.invalidate(name);
    }

    private interface Io<T> {
        T get() throws IOException;
    }

    private static <T> T io(Io<T> f) {
        try {
            return f.get();
        } catch (IOException e) {
            throw new UncheckedIOException("reading API keys from storage failed: " + e.getMessage(), e);
        }
    }
}
