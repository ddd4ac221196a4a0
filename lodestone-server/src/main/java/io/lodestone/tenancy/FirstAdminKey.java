package io.lodestone.tenancy;

import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The first admin key of a bucket with auth on and no {@code auth.admin_key}: generated once, by the first server
 * that claims {@code _system/first-admin-key} (create-if-absent, so servers starting together generate one key),
 * and printed once. Afterwards admins create keys through the admin API.
 */
public final class FirstAdminKey {
    private static final String CLAIM = "_system/first-admin-key";

    private FirstAdminKey() {
    }

    /** The generated key when this call created it, or null when one was created before. */
    public static String ensure(ObjectStore store, Tenants tenants) throws IOException {
        ApiKeys.Generated g = ApiKeys.generate();
        byte[] claim = ("{\"key_id\":\"" + g.id() + "\",\"created_at\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8);
        if (!store.putIfAbsent(CLAIM, claim)) return null;
        tenants.createKey(new KeyRecord(g.id(), Tenants.DEFAULT, Scope.ADMIN, null, null, Instant.now(), g.salt(), g.digest()));
        return g.key();
    }
}
