package io.lodestone.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.config.ConfigLoader;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * The HTTP half of the start-up warm-up: a private server of its own (memory storage, loopback, an ephemeral port, its
 * own engines and metrics) is written to and queried over real HTTP, so that the request path a user's first query
 * takes (Helidon's connection and parsing, the routes, the JSON of a request body of hundreds of floats and of the
 * answer) has its classes loaded and its code compiled. Before it, a fresh server spent 120–240 ms between a 1M-row
 * query's arrival and its first store request (docs/benchmarks.md). The server users reach sees none of these
 * requests: not in its metrics, its storage or its tenants.
 */
final class HttpWarmUp {
    static final int ROWS = 500;
    static final int DIMS = 768;
    /** Query rounds (each an ANN, a filtered ANN with attributes and a BM25 query). */
    static final int ROUNDS = 60;
    private static final String NAMESPACE = "warm-up";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = {"river", "stone", "magnet", "north", "iron", "compass", "field", "storm"};

    private HttpWarmUp() {
    }

    /** Runs the private server with its disk cache under {@code scratch}; returns the requests answered. */
    static int run(Path scratch) throws IOException, InterruptedException {
        Map<String, String> env = Map.of(
                "LODESTONE_SERVER_HOST", "127.0.0.1",
                "LODESTONE_SERVER_PORT", "0",
                "LODESTONE_SERVER_WARM_UP", "false",
                "LODESTONE_AUTH_ENABLED", "false",
                "LODESTONE_STORAGE_BACKEND", "memory",
                "LODESTONE_CACHE_DISK_PATH", scratch.resolve("cache").toString());
        Random random = new Random(42);
        try (LodestoneServer server = LodestoneServer.start(ConfigLoader.load(null, env));
             HttpClient client = HttpClient.newHttpClient()) {
            URI write = URI.create("http://127.0.0.1:" + server.port() + "/v2/namespaces/" + NAMESPACE);
            URI query = URI.create(write + "/query");
            int requests = 0;
            post(client, write, rows(random));
            requests++;
            for (int i = 0; i < ROUNDS; i++) {
                post(client, query, ann(random, false));
                post(client, query, ann(random, true));
                post(client, query, bm25(random));
                requests += 3;
            }
            return requests;
        }
    }

    private static void post(HttpClient client, URI uri, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("warm-up request to " + uri.getPath() + ": HTTP " + r.statusCode() + " " + r.body());
    }

    private static ObjectNode rows(Random random) {
        ObjectNode body = JSON.createObjectNode().put("distance_metric", "cosine_distance");
        body.putObject("schema").putObject("text").put("type", "string").put("full_text_search", true);
        ArrayNode rows = body.putArray("upsert_rows");
        for (int i = 0; i < ROWS; i++) {
            ObjectNode row = rows.addObject().put("id", i).put("text", sentence(random)).put("group", i % 10);
            vector(row.putArray("vector"), random);
        }
        return body;
    }

    private static ObjectNode ann(Random random, boolean filteredWithAttributes) {
        ObjectNode body = JSON.createObjectNode().put("top_k", 10);
        vector(body.putArray("rank_by").add("vector").add("ANN").addArray(), random);
        if (filteredWithAttributes) {
            body.putArray("filters").add("group").add("Eq").add(random.nextInt(10));
            body.putArray("include_attributes").add("text").add("group");
        }
        return body;
    }

    private static ObjectNode bm25(Random random) {
        ObjectNode body = JSON.createObjectNode().put("top_k", 10);
        body.putArray("rank_by").add("text").add("BM25").add(sentence(random));
        return body;
    }

    private static void vector(ArrayNode into, Random random) {
        for (int j = 0; j < DIMS; j++) into.add((float) random.nextGaussian());
    }

    private static String sentence(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 2 + random.nextInt(4); i < n; i++) sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        return sb.toString();
    }
}
