package io.lodestone.tenancy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-server query quotas: concurrency slots are held until the permit closes; rates refill over time. */
class TestQuotaEnforcer {

    private static Tenant tenant(String quota, long value) {
        return new Tenant("t", Quotas.NONE.with(JsonNodeFactory.instance.objectNode().put(quota, value)), "default",
                List.of("default"), Instant.now());
    }

    @Test
    void concurrentQueriesBeyondTheQuotaAreRefusedUntilOneEnds() {
        QuotaEnforcer q = new QuotaEnforcer();
        Tenant t = tenant(Quotas.MAX_CONCURRENT_QUERIES, 2);
        Permit a = q.admitQuery(t);
        Permit b = q.admitQuery(t);
        assertThatThrownBy(() -> q.admitQuery(t)).isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("max_concurrent_queries")
                .satisfies(e -> assertThat(((RateLimitedException) e).retryAfterSeconds()).isEqualTo(1));
        a.close();
        try (Permit c = q.admitQuery(t)) {
            assertThat(q.meter("t").runningQueries.get()).isEqualTo(2);
        }
        b.close();
        assertThat(q.meter("t").runningQueries.get()).isZero();
        assertThat(q.meter("t").rateLimited.get()).isEqualTo(1);
    }

    @Test
    void aRateAllowsItsBurstThenRefillsOverTime() throws InterruptedException {
        TokenBucket bucket = new TokenBucket();
        for (int i = 0; i < 5; i++) assertThat(bucket.take(5)).isZero();
        assertThat(bucket.take(5)).isEqualTo(1);
        Thread.sleep(450); // 5 per second: at least two tokens back
        assertThat(bucket.take(5)).isZero();
        assertThat(bucket.take(5)).isZero();
    }

    @Test
    void quotasRefuseUnknownNamesAndBadValuesAndNullRemoves() {
        var f = JsonNodeFactory.instance;
        assertThatThrownBy(() -> Quotas.NONE.with(f.objectNode().put("max_rowz", 1))).hasMessageContaining("unknown quota");
        assertThatThrownBy(() -> Quotas.NONE.with(f.objectNode().put("queries_per_second", 0))).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> Quotas.NONE.with(f.objectNode().put("max_rows", 1.5))).hasMessageContaining("integer");
        Quotas q = Quotas.NONE.with(f.objectNode().put("max_rows", 0).put("max_top_k", 10));
        assertThat(q.get(Quotas.MAX_ROWS)).hasValue(0);
        assertThat(q.with(f.objectNode().putNull("max_rows")).get(Quotas.MAX_ROWS)).isEmpty();
        assertThat(q.with(f.objectNode().putNull("max_rows")).get(Quotas.MAX_TOP_K)).hasValue(10);
    }
}
