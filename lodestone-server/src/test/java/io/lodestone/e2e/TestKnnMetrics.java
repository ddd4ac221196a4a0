package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Exact kNN over HTTP with each of the nine metrics matches a plain double-precision reference. */
@ExtendWith(Seeded.class)
class TestKnnMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Metric(String name, BiFunction<float[], float[], Double> reference) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("cosine_distance", (a, b) -> {
                double d = 0, na = 0, nb = 0;
                for (int i = 0; i < a.length; i++) { d += a[i] * (double) b[i]; na += a[i] * (double) a[i]; nb += b[i] * (double) b[i]; }
                return 1 - d / Math.sqrt(na * nb);
            }),
            new Metric("euclidean_squared", (a, b) -> sum(a, b, (x, y) -> (x - y) * (x - y))),
            new Metric("dot_product", (a, b) -> -sum(a, b, (x, y) -> x * y)),
            new Metric("manhattan", (a, b) -> sum(a, b, (x, y) -> Math.abs(x - y))),
            new Metric("hamming", (a, b) -> sum(a, b, (x, y) -> x == y ? 0 : 1)),
            new Metric("chebyshev", (a, b) -> {
                double m = 0;
                for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
                return m;
            }),
            new Metric("canberra", (a, b) -> sum(a, b, (x, y) -> Math.abs(x) + Math.abs(y) == 0 ? 0 : Math.abs(x - y) / (Math.abs(x) + Math.abs(y)))),
            new Metric("braycurtis", (a, b) -> {
                double num = sum(a, b, (x, y) -> Math.abs(x - y)), den = sum(a, b, (x, y) -> Math.abs(x + y));
                return den == 0 ? 0 : num / den;
            }),
            new Metric("jaccard", (a, b) -> {
                double min = sum(a, b, Math::min), max = sum(a, b, Math::max);
                return max == 0 ? 0 : 1 - min / max;
            }));

    private static double sum(float[] a, float[] b, java.util.function.DoubleBinaryOperator f) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += f.applyAsDouble(a[i], b[i]);
        return s;
    }

    @Test
    void everyMetricRanksLikeTheReference(Random random, @TempDir Path dir) throws Exception {
        try (InProcessServer server = InProcessServer.start(dir)) {
            HttpClient http = HttpClient.newHttpClient();
            int n = 300, dims = 12;
            float[][] vs = new float[n][dims];
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < dims; j++) vs[i][j] = random.nextInt(4) == 0 ? 0 : (float) Math.round(random.nextFloat() * 8) / 4f; // non-negative, with repeats
                rows.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"vector\":").append(JSON.writeValueAsString(vs[i])).append('}');
            }
            post(http, server.baseUrl() + "/v2/namespaces/metrics", "{\"upsert_rows\":[" + rows + "]}");
            float[] q = new float[dims];
            for (int j = 0; j < dims; j++) q[j] = (float) Math.round(random.nextFloat() * 8) / 4f;
            for (Metric m : METRICS) {
                JsonNode r = post(http, server.baseUrl() + "/v2/namespaces/metrics/query", "{\"rank_by\":[\"vector\",\"kNN\","
                        + JSON.writeValueAsString(q) + "],\"distance_metric\":\"" + m.name() + "\",\"top_k\":20}");
                List<Double> got = new ArrayList<>();
                for (JsonNode row : r.get("rows")) {
                    int id = row.get("id").asInt();
                    assertThat(row.get("$dist").asDouble()).as("%s $dist of %d", m.name(), id)
                            .isCloseTo(m.reference().apply(q, vs[id]), org.assertj.core.data.Offset.offset(1e-4));
                    got.add(m.reference().apply(q, vs[id]));
                }
                List<Double> want = IntStream.range(0, n).mapToObj(i -> m.reference().apply(q, vs[i]))
                        .sorted(Comparator.naturalOrder()).limit(20).toList();
                assertThat(got).as(m.name()).hasSize(20);
                for (int i = 0; i < 20; i++) {
                    assertThat(got.get(i)).as("%s rank %d", m.name(), i).isCloseTo(want.get(i), org.assertj.core.data.Offset.offset(1e-4));
                }
            }
            JsonNode ann = postStatus(http, server.baseUrl() + "/v2/namespaces/metrics/query",
                    "{\"rank_by\":[\"vector\",\"ANN\"," + JSON.writeValueAsString(q) + "],\"distance_metric\":\"manhattan\"}", 400);
            assertThat(ann.get("error").asText()).contains("kNN");
        }
    }

    private static JsonNode post(HttpClient http, String url, String body) throws Exception {
        return postStatus(http, url, body, 200);
    }

    private static JsonNode postStatus(HttpClient http, String url, String body, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}
