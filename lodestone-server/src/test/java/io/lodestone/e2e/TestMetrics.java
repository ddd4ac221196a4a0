package io.lodestone.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /metrics} serves Prometheus text with request, write, query and indexing metrics. */
class TestMetrics {

    private static HttpResponse<String> send(HttpClient http, String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsWritesQueriesAndBacklogAreCounted(@TempDir Path dir) throws Exception {
        try (InProcessServer server = InProcessServer.start(dir, java.util.Map.of("LODESTONE_INDEXING_IDLE_MS", "3600000"))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = server.baseUrl();
            send(http, base, "POST", "/v2/namespaces/metrics-ns", "{\"upsert_rows\":[{\"id\":1,\"vector\":[1,2]},{\"id\":2,\"vector\":[2,1]}]}");
            send(http, base, "POST", "/v2/namespaces/metrics-ns/query", "{\"rank_by\":[\"vector\",\"ANN\",[1,2]]}");
            send(http, base, "POST", "/v2/namespaces/metrics-ns/query", "{\"top_k\":0}");
            HttpResponse<String> r = send(http, base, "GET", "/metrics", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            String text = r.body();
            assertThat(text).contains("lodestone_writes_total{region=\"default\"} 1.0")
                    .contains("lodestone_rows_written_total{region=\"default\"} 2.0")
                    .contains("lodestone_queries_total{region=\"default\"} 1.0")
                    .containsPattern("lodestone_unindexed_bytes\\{region=\"default\"} [1-9]")
                    .containsPattern("lodestone_queries_running [0-9]")
                    .contains("lodestone_http_requests_seconds_count{method=\"POST\",route=\"/v2/namespaces/{ns}/query\",status=\"200\"} 1")
                    .contains("lodestone_http_requests_seconds_count{method=\"POST\",route=\"/v2/namespaces/{ns}/query\",status=\"400\"} 1")
                    .contains("lodestone_http_requests_seconds_bucket{method=\"POST\",route=\"/v2/namespaces/{ns}\",status=\"200\",le=");
        }
    }

    @Test
    void responsesReportMeasuredNumbersAndCacheTiersAreExposed(@TempDir Path dir) throws Exception {
        try (InProcessServer server = InProcessServer.start(dir, java.util.Map.of("LODESTONE_INDEXING_IDLE_MS", "3600000"))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = server.baseUrl();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            long small = json.readTree(send(http, base, "POST", "/v2/namespaces/perf-ns",
                    "{\"upsert_rows\":[{\"id\":1,\"vector\":[1,2]},{\"id\":2,\"vector\":[2,1]},{\"id\":3,\"vector\":[3,1]}]}").body())
                    .at("/billing/billable_logical_bytes_written").asLong();
            com.fasterxml.jackson.databind.JsonNode three = json.readTree(send(http, base, "POST", "/v2/namespaces/perf-ns/query",
                    "{\"rank_by\":[\"vector\",\"ANN\",[1,2]],\"top_k\":1}").body());
            long bigger = json.readTree(send(http, base, "POST", "/v2/namespaces/perf-ns",
                    "{\"upsert_rows\":[{\"id\":4,\"vector\":[1,1],\"title\":\"a longer document\"},{\"id\":5,\"vector\":[5,1]}]}").body())
                    .at("/billing/billable_logical_bytes_written").asLong();
            com.fasterxml.jackson.databind.JsonNode five = json.readTree(send(http, base, "POST", "/v2/namespaces/perf-ns/query",
                    "{\"rank_by\":[\"vector\",\"ANN\",[1,2]],\"top_k\":3,\"include_attributes\":true}").body());
            assertThat(small).isPositive();
            assertThat(bigger).as("billed by the rows' logical size").isGreaterThan(small);
            assertThat(three.at("/performance/exhaustive_search_count").asLong()).isEqualTo(3);
            assertThat(three.at("/performance/approx_namespace_size").asLong()).isEqualTo(3);
            assertThat(five.at("/performance/exhaustive_search_count").asLong()).isEqualTo(5);
            assertThat(five.at("/performance/approx_namespace_size").asLong()).isEqualTo(5);
            assertThat(five.at("/billing/billable_logical_bytes_queried").asLong())
                    .isGreaterThan(three.at("/billing/billable_logical_bytes_queried").asLong());
            assertThat(five.at("/billing/billable_logical_bytes_returned").asLong())
                    .isGreaterThan(three.at("/billing/billable_logical_bytes_returned").asLong());
            assertThat(five.at("/performance/cache_temperature").asText()).isIn("hot", "warm", "cold");
            assertThat(five.at("/performance/query_execution_ms").asLong())
                    .isLessThanOrEqualTo(five.at("/performance/server_total_ms").asLong());

            HttpResponse<String> warm = send(http, base, "GET", "/v1/namespaces/perf-ns/hint_cache_warm", null);
            assertThat(warm.statusCode()).isEqualTo(200);
            assertThat(warm.body()).contains("\"status\":\"ACCEPTED\"");
            assertThat(send(http, base, "GET", "/v1/namespaces/no-such-ns/hint_cache_warm", null).statusCode()).isEqualTo(200);

            System.gc(); // gauges whose state is held only weakly would now read NaN
            String metrics = send(http, base, "GET", "/metrics", null).body();
            assertThat(metrics).doesNotContainPattern("lodestone_cache_\\w+(\\{[^}]*\\})? NaN");
            for (String tier : java.util.List.of("memory", "disk")) {
                String labels = "{region=\"default\",tier=\"" + tier + "\"}";
                assertThat(metrics).contains("lodestone_cache_hits_total" + labels)
                        .contains("lodestone_cache_misses_total" + labels)
                        .contains("lodestone_cache_fetched_bytes_total" + labels)
                        .contains("lodestone_cache_evictions_total" + labels)
                        .contains("lodestone_cache_resident_bytes" + labels)
                        .contains("lodestone_cache_budget_bytes" + labels);
            }
        }
    }

    @Test
    void annRecallMeasuredOnSampledQueriesIsReportedInMetadataAndMetrics(@TempDir Path dir) throws Exception {
        java.util.Map<String, String> env = java.util.Map.of("LODESTONE_INDEXING_IDLE_MS", "10",
                "LODESTONE_INDEXING_MIN_UNINDEXED_BYTES", "1", "LODESTONE_INDEXING_RECALL_SAMPLE_EVERY", "1");
        try (InProcessServer server = InProcessServer.start(dir, env)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = server.baseUrl();
            java.util.Random random = new java.util.Random(5);
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 1100; i++) { // enough rows for the indexer to build a graph
                rows.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"vector\":").append(vector(random)).append('}');
            }
            assertThat(send(http, base, "POST", "/v2/namespaces/recall-ns",
                    "{\"distance_metric\":\"euclidean_squared\",\"upsert_rows\":[" + rows + "]}").statusCode()).isEqualTo(200);
            assertThat(poll(() -> send(http, base, "GET", "/v1/namespaces/recall-ns/metadata", null).body().contains("up-to-date")))
                    .as("indexed").isTrue();
            assertThat(send(http, base, "GET", "/v1/namespaces/recall-ns/metadata", null).body()).doesNotContain("ann_recall");
            for (int i = 0; i < 5; i++) {
                send(http, base, "POST", "/v2/namespaces/recall-ns/query", "{\"rank_by\":[\"vector\",\"ANN\"," + vector(random) + "]}");
            }
            assertThat(poll(() -> send(http, base, "GET", "/v1/namespaces/recall-ns/metadata", null).body().contains("ann_recall")))
                    .as("measured in the background").isTrue();
            com.fasterxml.jackson.databind.JsonNode recall = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(send(http, base, "GET", "/v1/namespaces/recall-ns/metadata", null).body()).get("ann_recall");
            assertThat(recall.get("queries").asInt()).isBetween(1, 5);
            assertThat(recall.get("avg_recall").asDouble()).isBetween(0.0, 1.0);
            String metrics = send(http, base, "GET", "/metrics", null).body();
            assertThat(metrics).containsPattern("lodestone_ann_recall_samples_total\\{region=\"default\"} [1-5]\\.0")
                    .containsPattern("lodestone_ann_recall\\{region=\"default\"} [01]\\.");
        }
    }

    private static String vector(java.util.Random random) {
        StringBuilder v = new StringBuilder("[");
        for (int j = 0; j < 8; j++) v.append(j == 0 ? "" : ",").append(random.nextGaussian());
        return v.append(']').toString();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Liveness poll with a generous bound. */
    private static boolean poll(Check check) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (check.holds()) return true;
            Thread.sleep(20);
        }
        return false;
    }
}
