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
            assertThat(text).contains("lodestone_writes_total 1.0")
                    .contains("lodestone_rows_written_total 2.0")
                    .contains("lodestone_queries_total 1.0")
                    .containsPattern("lodestone_unindexed_bytes [1-9]")
                    .contains("lodestone_http_requests_seconds_count{method=\"POST\",route=\"/v2/namespaces/{ns}/query\",status=\"200\"} 1")
                    .contains("lodestone_http_requests_seconds_count{method=\"POST\",route=\"/v2/namespaces/{ns}/query\",status=\"400\"} 1")
                    .contains("lodestone_http_requests_seconds_bucket{method=\"POST\",route=\"/v2/namespaces/{ns}\",status=\"200\",le=");
        }
    }
}
