package io.lodestone.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code server.warm_up}: the server answers while it warms up, and says when it is ready. */
class TestStartupWarmUp {

    @Test
    void readyAnswers503UntilTheWarmUpIsDoneWhileEverythingElseServes(@TempDir Path dir) throws Exception {
        try (var server = InProcessServer.start(dir, Map.of("LODESTONE_SERVER_WARM_UP", "true"));
             var http = server.http();
             HttpClient client = HttpClient.newHttpClient()) {
            // The warm-up writes and indexes its namespaces first (seconds): the first probe comes long before.
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
            assertThat(Json.parse(first.body()).path("status").asText()).isEqualTo("warming_up");
            assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(http.get("/health").status()).isEqualTo(200);
            // Users' requests are served meanwhile.
            assertThat(http.post("/v2/namespaces/warm", Json.obj("upsert_rows",
                    List.of(Json.obj("id", 1, "vector", Json.vec(new float[] {1, 0})))))
                    .status()).isEqualTo(200);
            assertThat(http.post("/v2/namespaces/warm/query", Json.obj("rank_by", List.of("vector", "ANN", Json.vec(new float[] {1, 0})),
                    "top_k", 1)).json().path("rows").size()).isEqualTo(1);

            long deadline = System.nanoTime() + 120_000_000_000L; // liveness only: about 3 s when the machine is free
            Json.Response ready = http.get("/ready");
            while (ready.status() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                ready = http.get("/ready");
            }
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            assertThat(ready.json().path("status").asText()).isEqualTo("ready");

            // The warm-up's HTTP requests went to a private server: this one counts only the test's two POSTs and
            // holds only the test's namespace.
            String metrics = http.get("/metrics").body();
            double posts = metrics.lines().filter(l -> l.startsWith("lodestone_http_requests_seconds_count{") && l.contains("method=\"POST\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertThat(posts).as(metrics).isEqualTo(2.0);
            assertThat(http.get("/v1/namespaces").json().path("namespaces").findValuesAsText("id")).containsExactly("warm");
        }
    }

    @Test
    void withoutTheWarmUpTheServerIsReadyAtOnce(@TempDir Path dir) {
        try (var server = InProcessServer.start(dir); var http = server.http()) {
            Json.Response ready = http.get("/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().path("status").asText()).isEqualTo("ready");
        }
    }
}
