package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Full-text search over HTTP: schema, BM25, multi-field ranking, hybrid, token filters, errors. */
class TestTextApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bm25RankingOverHttp(@TempDir Path dir) throws Exception {
        try (InProcessServer server = InProcessServer.start(dir)) {
            HttpClient http = HttpClient.newHttpClient();
            String ns = server.baseUrl() + "/v2/namespaces/docs";
            call(http, ns, """
                    {"schema": {"title": {"type": "string", "full_text_search": true},
                                "body": {"type": "string", "full_text_search": {"language": "english", "stemming": true}}},
                     "upsert_rows": [
                       {"id": 1, "vector": [1, 0], "title": "Magnets and lodestones", "body": "A lodestone is a naturally magnetized piece of magnetite."},
                       {"id": 2, "vector": [0, 1], "title": "Compass needles", "body": "The compass needle points north because it is magnetized."},
                       {"id": 3, "vector": [0.7, 0.7], "title": "Sea charts", "body": "Sailors used charts and stars to navigate the sea."}]}""", 200);
            JsonNode r = call(http, ns + "/query", "{\"rank_by\": [\"body\", \"BM25\", \"magnetized needles\"], \"top_k\": 10}", 200);
            assertThat(ids(r)).containsExactly(2, 1);
            assertThat(r.get("rows").get(0).get("$dist").asDouble()).isGreaterThan(r.get("rows").get(1).get("$dist").asDouble());
            JsonNode sum = call(http, ns + "/query", """
                    {"rank_by": ["Sum", [["title", "BM25", "lodestone"], ["Product", 2, ["body", "BM25", "lodestone"]]]], "top_k": 5}""", 200);
            assertThat(ids(sum)).containsExactly(1);
            JsonNode hybrid = call(http, ns + "/query", """
                    {"rank_by": ["Hybrid", {"vector": ["vector", "ANN", [0.7, 0.7]], "text": ["body", "BM25", "sea stars"], "fusion": "rrf"}], "top_k": 3}""", 200);
            assertThat(ids(hybrid).getFirst()).isEqualTo(3);
            JsonNode tokens = call(http, ns + "/query", "{\"filters\": [\"body\", \"ContainsAnyToken\", \"navigate\"], \"top_k\": 5}", 200);
            assertThat(ids(tokens)).containsExactly(3);
            JsonNode notText = call(http, ns + "/query", "{\"rank_by\": [\"id\", \"BM25\", \"x\"]}", 400);
            assertThat(notText.get("error").asText()).contains("not full-text indexed");
            JsonNode badLanguage = call(http, ns, "{\"schema\": {\"t2\": {\"type\": \"string\", \"full_text_search\": {\"language\": \"klingon\"}}}}", 400);
            assertThat(badLanguage.get("error").asText()).contains("klingon");
        }
    }

    private static List<Integer> ids(JsonNode r) {
        List<Integer> out = new ArrayList<>();
        r.get("rows").forEach(row -> out.add(row.get("id").asInt()));
        return out;
    }

    private static JsonNode call(HttpClient http, String url, String body, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}
