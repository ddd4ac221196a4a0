package io.lodestone.tenancy;

import io.lodestone.testing.ForwardingStore;
import io.lodestone.store.MemoryObjectStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The key and tenant cache: records in use are reloaded in the background, and changes still apply within the bound. */
class TestAuthenticator {
    private static final long SLOW_READ_MILLIS = 1_000;

    @Test
    void aTenantInUseIsReloadedInTheBackgroundAndADeletionStillAppliesWithinTheBound() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        ForwardingStore store = new ForwardingStore(new MemoryObjectStore()) {
            @Override
            public byte[] get(String key) throws IOException {
                if (key.equals(Tenants.recordKey(Tenants.DEFAULT))) {
                    reads.incrementAndGet();
                    try {
                        Thread.sleep(SLOW_READ_MILLIS); // a slow store: a request that waited for a read would show it
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                return super.get(key);
            }
        };
        Tenants tenants = new Tenants(store);
        tenants.ensureDefault("default");
        try (Authenticator auth = new Authenticator(tenants, false, null)) {
            assertThat(auth.tenant(Tenants.DEFAULT)).isPresent();
            int afterFirstUse = reads.get();
            // No use for longer than the bound: the record was reloaded meanwhile (every half bound), not expired.
            long idle = Authenticator.REVOCATION_BOUND.toMillis() * 3 / 2;
            Thread.sleep(idle);
            assertThat(reads.get()).as("background reloads in %d ms", idle).isGreaterThanOrEqualTo(afterFirstUse + 2);
            long t0 = System.nanoTime();
            assertThat(auth.tenant(Tenants.DEFAULT)).isPresent();
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms a use after idling took: no read of its own")
                    .isLessThan(SLOW_READ_MILLIS);

            tenants.delete(Tenants.DEFAULT);
            long deadline = System.nanoTime() + Authenticator.REVOCATION_BOUND.toNanos() + 5_000_000_000L;
            while (auth.tenant(Tenants.DEFAULT).isPresent() && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(auth.tenant(Tenants.DEFAULT)).as("deleted, within the bound").isEmpty();
        }
    }
}
