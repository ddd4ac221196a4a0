package io.lodestone.http;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lodestone.cache.DiskTier;
import io.lodestone.cache.TierStats;
import io.lodestone.engine.EngineStats;
import io.lodestone.tenancy.ForbiddenException;
import io.lodestone.tenancy.Tenancy;
import io.lodestone.engine.Lodestone;
import io.lodestone.engine.QueryScheduler;
import io.lodestone.region.Regions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Prometheus metrics ({@code GET /metrics}): request counts and latency histograms per route and
 * status, and each region's engine counters, labelled {@code region} (writes, queries, rows and bytes indexed,
 * unindexed backlog, cache tiers: hits, misses, bytes fetched, evictions, resident bytes). Micrometer does the bookkeeping and the exposition format.
 */
public final class HttpMetrics {
    private static final Pattern NAMESPACE = Pattern.compile("^(/v[12]/namespaces|/namespaces)/[^/]+");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /**
     * The engine metrics of every region, labelled {@code region}; the query thread gauges are the shared
     * scheduler's and have no region label.
     */
    public HttpMetrics(Regions regions) {
        Gauge.builder("lodestone_queries_queued", regions.queries(), QueryScheduler::queued)
                .description("queries waiting for a query thread (all regions)").register(registry);
        Gauge.builder("lodestone_queries_running", regions.queries(), QueryScheduler::running)
                .description("queries running on the query threads (all regions)").register(registry);
        for (String region : regions.names()) {
            engine(region, regions.get(region));
        }
    }

    /** The counters and gauges of one region's engine, labelled {@code region}. */
    private void engine(String region, Lodestone db) {
        EngineStats s = db.stats();
        Tags tags = Tags.of("region", region);
        counter("lodestone_writes", "acknowledged write requests", s, EngineStats::writes, tags);
        counter("lodestone_rows_written", "rows in acknowledged writes", s, EngineStats::rowsWritten, tags);
        counter("lodestone_write_bytes", "bytes of committed log objects", s, EngineStats::writeBytes, tags);
        counter("lodestone_queries", "queries run", s, EngineStats::queries, tags);
        counter("lodestone_rows_indexed", "rows written into segments", s, EngineStats::rowsIndexed, tags);
        counter("lodestone_bytes_indexed", "bytes of segment files written", s, EngineStats::bytesIndexed, tags);
        counter("lodestone_segments_built", "segments built by folds and merges", s, EngineStats::segmentsBuilt, tags);
        counter("lodestone_queries_refused", "queries refused with 429: query threads busy and admission queue full", s,
                EngineStats::queriesRefused, tags);
        counter("lodestone_queries_timed_out", "queries cancelled at server.request_timeout_seconds (408)", s,
                EngineStats::queriesTimedOut, tags);
        Gauge.builder("lodestone_namespaces_loaded", db, Lodestone::loadedNamespaces).tags(tags)
                .description("namespace handles held in memory").register(registry);
        counter("lodestone_ann_recall_samples", "ANN queries whose recall was measured in the background", s,
                EngineStats::recallSamples, tags);
        counter("lodestone_ann_recall_sum", "sum of the measured recall@k of sampled ANN queries", s,
                EngineStats::recallSum, tags);
        Gauge.builder("lodestone_ann_recall", s, EngineStats::recentRecall).tags(tags)
                .description("mean recall@k of the latest 100 sampled ANN queries (NaN before the first)").register(registry);
        cacheTier(tags.and("tier", "memory"), db.cache().memory().stats(), () -> db.cache().memory().residentBytes(),
                db.cache().memory().budgetBytes());
        cacheTier(tags.and("tier", "disk"), db.cache().disk().stats(), () -> db.cache().disk().residentBytes(),
                db.cache().disk().budgetBytes());
        Gauge.builder("lodestone_cache_pinned_bytes", db.cache().disk(), DiskTier::pinnedBytes).tags(tags)
                .description("disk tier bytes of open segments that eviction cannot free (not bounded by the budget)").register(registry);
        Gauge.builder("lodestone_unindexed_bytes", db, Lodestone::unindexedBytes).tags(tags)
                .description("log bytes not yet folded into segments, over loaded namespaces").register(registry);
    }

    /** The counters and gauges of one cache tier, labelled {@code region} and {@code tier}. */
    private void cacheTier(Tags tags, TierStats t, java.util.function.LongSupplier resident, long budget) {
        FunctionCounter.builder("lodestone_cache_hits", t, TierStats::hits).tags(tags)
                .description("lookups served by the cache tier").register(registry);
        FunctionCounter.builder("lodestone_cache_misses", t, TierStats::misses).tags(tags)
                .description("lookups the cache tier could not serve").register(registry);
        FunctionCounter.builder("lodestone_cache_fetched_bytes", t, TierStats::bytesFetched).tags(tags)
                .description("bytes read from the object store to fill the cache tier").register(registry);
        FunctionCounter.builder("lodestone_cache_evictions", t, TierStats::evictions).tags(tags)
                .description("entries evicted to keep the cache tier within its budget").register(registry);
        FunctionCounter.builder("lodestone_cache_corrupt_entries", t, TierStats::corruptions).tags(tags)
                .description("cached entries that failed verification (dropped and fetched again)").register(registry);
        // Gauges hold their state weakly unless told otherwise: the supplier lambda has no other reference.
        Gauge.builder("lodestone_cache_resident_bytes", resident, r -> r.getAsLong()).tags(tags).strongReference(true)
                .description("bytes held by the cache tier").register(registry);
        Gauge.builder("lodestone_cache_budget_bytes", () -> budget).tags(tags).strongReference(true)
                .description("byte budget of the cache tier").register(registry);
    }

    private void counter(String name, String help, EngineStats s, ToDoubleFunction<EngineStats> f, Tags tags) {
        FunctionCounter.builder(name, s, f).tags(tags).description(help).register(registry);
    }

    /** Where the Prometheus text is served. */
    public static final String PATH = "/metrics";

    /** Times every request by method, route and status; serves {@code /metrics}. */
    public void register(HttpRouting.Builder routing) {
        routing.addFilter((chain, req, res) -> {
            long start = System.nanoTime();
            try {
                chain.proceed();
            } finally {
                Timer.builder("lodestone_http_requests")
                        .description("HTTP requests by method, route and status")
                        .tag("method", req.prologue().method().text())
                        .tag("route", route(req.path().path()))
                        .tag("status", String.valueOf(res.status().code()))
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry)
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        });
    }

    /** {@code GET /metrics}: the Prometheus text format; with auth on, for operators (admin keys of the default tenant). */
    void scrape(ServerRequest req, ServerResponse res) {
        if (!Tenancy.principal(req).operator()) throw new ForbiddenException("/metrics needs an admin key of the default tenant");
        res.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        res.send(registry.scrape());
    }

    private static final java.util.Set<String> ROUTES = java.util.Set.of("/health", "/ready", "/metrics",
            "/v1/namespaces", "/v2/namespaces", "/namespaces", "/v2/namespaces/{ns}", "/v1/namespaces/{ns}",
            "/v2/namespaces/{ns}/query", "/v2/namespaces/{ns}/metadata", "/v1/namespaces/{ns}/metadata",
            "/v1/namespaces/{ns}/schema", "/v1/namespaces/{ns}/hint_cache_warm", "/v1/namespaces/{ns}/_debug/recall",
            "/v2/namespaces/{ns}/import/jsonl", "/namespaces/{ns}", "/namespaces/{ns}/query", "/namespaces/{ns}/metadata");

    /** The route template of a path (namespace names become {ns}); unknown paths are "other", so labels stay few. */
    static String route(String path) {
        String r = NAMESPACE.matcher(path).replaceFirst("$1/{ns}");
        return ROUTES.contains(r) ? r : "other";
    }
}
