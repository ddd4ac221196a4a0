package io.lodestone.tenancy;

import io.lodestone.doc.Document;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.Namespace;
import io.lodestone.engine.NamespaceRoot;
import io.lodestone.engine.WriteRequest;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enforces tenants' quotas. Request-shaped ones (batch rows, dimensions, top_k) are checked against the request (400).
 * Stored-usage ones (namespaces, rows, storage bytes) hold across every server: usage is measured from object
 * storage, at most {@link #USAGE_MAX_AGE_NANOS} old, and measured again before a write is refused; writes in flight
 * on this server reserve their rows and bytes, so concurrent writers never overshoot here, and other servers can
 * overshoot by at most the writes they acknowledge within that age. Rates and concurrent queries are per server (429).
 */
final class QuotaEnforcer {
    static final long USAGE_MAX_AGE_NANOS = 5_000_000_000L;

    private final ConcurrentHashMap<String, Meter> meters = new ConcurrentHashMap<>();

    /** One tenant's counters on this server. */
    static final class Meter {
        final TokenBucket writes = new TokenBucket();
        final TokenBucket queries = new TokenBucket();
        final AtomicInteger runningQueries = new AtomicInteger();
        final AtomicLong writesServed = new AtomicLong();
        final AtomicLong queriesServed = new AtomicLong();
        final AtomicLong rateLimited = new AtomicLong();
        private TenantUsage usage;
        private long measuredAtNanos;
        private long reservedRows;
        private long reservedBytes;
        private int creatingNamespaces;
    }

    Meter meter(String tenant) {
        return meters.computeIfAbsent(tenant, t -> new Meter());
    }

    /** Drops a deleted tenant's counters. */
    void forget(String tenant) {
        meters.remove(tenant);
    }

    private static final Permit NOTHING = new Permit() {
        @Override
        public void committed() {
        }

        @Override
        public void close() {
        }
    };

    /** Checks a write against the tenant's quotas and reserves what it may add. */
    Permit admitWrite(Tenant t, List<NamespaceRoot> roots, Namespace ns, WriteRequest w) {
        Quotas q = t.quotas();
        q.get(Quotas.MAX_BATCH_ROWS).ifPresent(max -> {
            if (w.rowCount() > max) {
                throw new InvalidInputException("the write has " + w.rowCount() + " rows; the tenant's quota max_batch_rows is " + max);
            }
        });
        q.get(Quotas.MAX_DIMENSIONS).ifPresent(max -> {
            for (Document d : w.upserts()) {
                if (d.vector() != null && d.vector().length > max) {
                    throw new InvalidInputException("a vector has " + d.vector().length
                            + " dimensions; the tenant's quota max_dimensions is " + max);
                }
            }
        });
        Meter m = meter(t.name());
        limitRate(m, m.writes, q.get(Quotas.WRITES_PER_SECOND), Quotas.WRITES_PER_SECOND);
        boolean creates = q.get(Quotas.MAX_NAMESPACES).isPresent() && !ns.exists();
        boolean stores = q.get(Quotas.MAX_ROWS).isPresent() || q.get(Quotas.MAX_STORAGE_BYTES).isPresent();
        m.writesServed.incrementAndGet();
        if (!creates && !stores) return NOTHING;
        long rows = w.upserts().size();
        long bytes = w.logicalBytes();
        synchronized (m) {
            if (creates) {
                long max = q.get(Quotas.MAX_NAMESPACES).getAsLong();
                long existing = countNamespaces(roots, max + 1);
                if (existing + m.creatingNamespaces + 1 > max) {
                    throw new QuotaExceededException(Quotas.MAX_NAMESPACES, max, existing, "so namespace '" + ns.name() + "' cannot be created");
                }
            }
            if (stores) reserveStorage(m, q, roots, rows, bytes);
            if (creates) m.creatingNamespaces++;
            if (stores) {
                m.reservedRows += rows;
                m.reservedBytes += bytes;
            }
        }
        return new Permit() {
            private boolean committed;

            @Override
            public void committed() {
                committed = true;
            }

            @Override
            public void close() {
                synchronized (m) {
                    if (creates) m.creatingNamespaces--;
                    if (stores) {
                        m.reservedRows -= rows;
                        m.reservedBytes -= bytes;
                        // Counted as added until the next measurement: an upsert may have replaced a row, never more.
                        if (committed && m.usage != null) {
                            m.usage = new TenantUsage(m.usage.namespaces(), m.usage.rows() + rows, m.usage.logicalBytes() + bytes);
                        }
                    }
                }
            }
        };
    }

    /** Refuses (403) unless measured usage plus this server's writes in flight plus this write fit. Caller holds m. */
    private static void reserveStorage(Meter m, Quotas q, List<NamespaceRoot> roots, long rows, long bytes) {
        boolean fresh = m.usage == null || System.nanoTime() - m.measuredAtNanos > USAGE_MAX_AGE_NANOS;
        if (fresh) measure(m, roots);
        if (!fresh && !fits(m, q, rows, bytes)) measure(m, roots); // deletes since the last measurement may have made room
        OptionalLong maxRows = q.get(Quotas.MAX_ROWS);
        if (maxRows.isPresent() && m.usage.rows() + m.reservedRows + rows > maxRows.getAsLong()) {
            throw new QuotaExceededException(Quotas.MAX_ROWS, maxRows.getAsLong(), m.usage.rows() + m.reservedRows,
                    "and the write upserts " + rows + " rows");
        }
        OptionalLong maxBytes = q.get(Quotas.MAX_STORAGE_BYTES);
        if (maxBytes.isPresent() && m.usage.logicalBytes() + m.reservedBytes + bytes > maxBytes.getAsLong()) {
            throw new QuotaExceededException(Quotas.MAX_STORAGE_BYTES, maxBytes.getAsLong(), m.usage.logicalBytes() + m.reservedBytes,
                    "and the write adds " + bytes + " logical bytes");
        }
    }

    private static boolean fits(Meter m, Quotas q, long rows, long bytes) {
        return m.usage.rows() + m.reservedRows + rows <= q.get(Quotas.MAX_ROWS).orElse(Long.MAX_VALUE)
                && m.usage.logicalBytes() + m.reservedBytes + bytes <= q.get(Quotas.MAX_STORAGE_BYTES).orElse(Long.MAX_VALUE);
    }

    private static void measure(Meter m, List<NamespaceRoot> roots) {
        m.usage = TenantUsage.measure(roots);
        m.measuredAtNanos = System.nanoTime();
    }

    private static long countNamespaces(List<NamespaceRoot> roots, long atMost) {
        long n = 0;
        for (NamespaceRoot r : roots) {
            n += r.listNamespaces(null, null, (int) Math.min(atMost, 10_000)).size();
        }
        return n;
    }

    /** Admits a query request under the tenant's query rate and concurrency; close the permit when it is done. */
    Permit admitQuery(Tenant t) {
        Quotas q = t.quotas();
        Meter m = meter(t.name());
        limitRate(m, m.queries, q.get(Quotas.QUERIES_PER_SECOND), Quotas.QUERIES_PER_SECOND);
        OptionalLong maxConcurrent = q.get(Quotas.MAX_CONCURRENT_QUERIES);
        m.queriesServed.incrementAndGet();
        if (maxConcurrent.isEmpty()) return NOTHING;
        if (m.runningQueries.incrementAndGet() > maxConcurrent.getAsLong()) {
            m.runningQueries.decrementAndGet();
            m.rateLimited.incrementAndGet();
            throw new RateLimitedException("the tenant already runs " + maxConcurrent.getAsLong()
                    + " queries on this server (quota max_concurrent_queries)", 1);
        }
        return new Permit() {
            @Override
            public void committed() {
            }

            @Override
            public void close() {
                m.runningQueries.decrementAndGet();
            }
        };
    }

    /** The largest top_k the tenant may ask for: its quota, within the server's limit. */
    static int maxTopK(Tenant t, int serverMax) {
        return (int) Math.min(serverMax, t.quotas().get(Quotas.MAX_TOP_K).orElse(serverMax));
    }

    private static void limitRate(Meter m, TokenBucket bucket, OptionalLong perSecond, String quota) {
        if (perSecond.isEmpty()) return;
        int wait = bucket.take(perSecond.getAsLong());
        if (wait > 0) {
            m.rateLimited.incrementAndGet();
            throw new RateLimitedException("the tenant's quota " + quota + " is " + perSecond.getAsLong() + " on this server", wait);
        }
    }
}
