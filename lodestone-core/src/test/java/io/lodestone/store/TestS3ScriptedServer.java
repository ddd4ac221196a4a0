package io.lodestone.store;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@link S3ObjectStore} reads answers that S3Proxy cannot be made to give, over a scripted HTTP
 * client: {@link S3ObjectStore#putIfAbsent} after 409, 5xx and lost responses, and GET bodies shorter
 * than their headers announce.
 */
class TestS3ScriptedServer {

    private static final byte[] OURS = "our log entry".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] THEIRS = "another writer's entry".getBytes(StandardCharsets.US_ASCII);
    private static final String KEY = "ns/wal/00000000000000000007";

    @Test
    void createdOnFirstAttempt() throws IOException {
        var http = new ScriptedHttp(List.of(status(200)), null);
        assertThat(putIfAbsent(http)).isTrue();
        assertThat(http.log).containsExactly("PUT If-None-Match=*");
    }

    @Test
    void preconditionFailedMeansAnotherWriterWon() throws IOException {
        var http = new ScriptedHttp(List.of(error(412, "PreconditionFailed")), OURS);
        assertThat(putIfAbsent(http)).isFalse(); // no earlier attempt of ours: no need to look
        assertThat(http.log).containsExactly("PUT If-None-Match=*");
    }

    @Test
    void conflictIsRetried() throws IOException {
        var http = new ScriptedHttp(List.of(error(409, "ConditionalRequestConflict"),
                error(409, "ConditionalRequestConflict"), status(200)), null);
        assertThat(putIfAbsent(http)).isTrue();
        assertThat(http.log).hasSize(3).allMatch(r -> r.equals("PUT If-None-Match=*"));
    }

    @Test
    void lostResponseThenPreconditionFailedIsOursWhenTheBytesAreOurs() throws IOException {
        var http = new ScriptedHttp(List.of(lost(), error(412, "PreconditionFailed")), OURS);
        assertThat(putIfAbsent(http)).isTrue();
        assertThat(http.log).containsExactly("PUT If-None-Match=*", "PUT If-None-Match=*", "GET");
    }

    @Test
    void serverErrorThenPreconditionFailedIsTheirsWhenTheBytesDiffer() throws IOException {
        var http = new ScriptedHttp(List.of(error(500, "InternalError"), error(412, "PreconditionFailed")), THEIRS);
        assertThat(putIfAbsent(http)).isFalse();
        assertThat(http.log).containsExactly("PUT If-None-Match=*", "PUT If-None-Match=*", "GET");
    }

    @Test
    void noDecisiveAnswerAndNoObjectIsAnError() {
        var script = new ArrayList<Response>();
        for (int i = 0; i < 6; i++) {
            script.add(error(409, "ConditionalRequestConflict"));
        }
        var http = new ScriptedHttp(script, null);
        assertThatThrownBy(() -> putIfAbsent(http)).isInstanceOf(IOException.class).hasMessageStartingWith(
                "putIfAbsent of key '" + KEY + "' in s3://bucket/ at http://127.0.0.1:1 got no decisive answer in 6 attempts"
                        + " and the key is still absent; last error: HTTP 409 ConditionalRequestConflict");
    }

    @Test
    void conflictsUntilTheEndThenTheKeyExistsIsALoss() throws IOException {
        var script = new ArrayList<Response>();
        for (int i = 0; i < 6; i++) {
            script.add(error(409, "ConditionalRequestConflict"));
        }
        var http = new ScriptedHttp(script, THEIRS);
        assertThat(putIfAbsent(http)).isFalse();
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        var http = new ScriptedHttp(List.of(error(403, "AccessDenied")), null);
        assertThatThrownBy(() -> putIfAbsent(http)).isInstanceOf(IOException.class)
                .hasMessage("putIfAbsent of key '" + KEY + "' in s3://bucket/ at http://127.0.0.1:1 failed: "
                        + "HTTP 403 AccessDenied: scripted AccessDenied");
        assertThat(http.log).hasSize(1);
    }

    private static final StorageOptions OPTIONS = StorageOptions.s3("bucket").withPrefix("")
            .withEndpoint("http://127.0.0.1:1").withRegion("us-east-1").withCredentials("id", "secret")
            .withPathStyle(true).withTuning(S3Tuning.defaults().withRetries(6, java.time.Duration.ofMillis(1),
                    java.time.Duration.ofMillis(5), java.time.Duration.ofSeconds(30)));

    private static boolean putIfAbsent(ScriptedHttp http) throws IOException {
        try (var store = S3ObjectStore.open(OPTIONS, http)) {
            return store.putIfAbsent(KEY, OURS);
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsRetried() throws IOException {
        var http = new ScriptedHttp(List.of(), OURS);
        http.gets.add(new Response(200, "our log", false, OURS.length, null));
        assertThat(get(http, s -> s.get(KEY))).isEqualTo(OURS);
        assertThat(http.log).containsExactly("GET", "GET");
    }

    @Test
    void aRangeShorterThanItsContentRangeIsRetried() throws IOException {
        var http = new ScriptedHttp(List.of(), OURS);
        http.gets.add(new Response(206, "our", false, -1, "bytes 0-6/" + OURS.length));
        http.gets.add(new Response(206, "our log", false, -1, "bytes 0-6/" + OURS.length));
        assertThat(get(http, s -> s.getRange(KEY, 0, 7))).asString(StandardCharsets.US_ASCII).isEqualTo("our log");
        assertThat(http.log).containsExactly("GET", "GET");
    }

    @Test
    void shortBodiesUntilTheEndAreAnIOException() {
        var http = new ScriptedHttp(List.of(), OURS);
        for (int i = 0; i < 6; i++) http.gets.add(new Response(200, "our", false, OURS.length, null));
        assertThatThrownBy(() -> get(http, s -> s.get(KEY))).isExactlyInstanceOf(IOException.class)
                .hasMessageContaining("failed after 6 attempts")
                .hasMessageContaining("ended after 3 of " + OURS.length + " bytes");
    }

    private interface Read {
        byte[] read(S3ObjectStore store) throws IOException;
    }

    private static byte[] get(ScriptedHttp http, Read read) throws IOException {
        try (var store = S3ObjectStore.open(OPTIONS, http)) {
            return read.read(store);
        }
    }

    /** A scripted answer: {@code length} -1 sends the body's length as Content-Length, else that value. */
    private record Response(int status, String body, boolean lost, long length, String contentRange) {
        Response(int status, String body, boolean lost) {
            this(status, body, lost, -1, null);
        }
    }

    private static Response status(int status) {
        return new Response(status, "", false);
    }

    private static Response error(int status, String code) {
        return new Response(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>scripted " + code + "</Message></Error>", false);
    }

    private static Response lost() {
        return new Response(0, null, true);
    }

    /** Answers conditional PUTs from a script, and GETs from {@link #gets}, then with a fixed object (null: 404). */
    private static final class ScriptedHttp implements SdkHttpClient {
        final Deque<Response> puts;
        final Deque<Response> gets = new ArrayDeque<>();
        final byte[] stored;
        final List<String> log = new ArrayList<>();

        ScriptedHttp(List<Response> puts, byte[] stored) {
            this.puts = new ArrayDeque<>(puts);
            this.stored = stored;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    return answer(request);
                }

                @Override
                public void abort() {
                }
            };
        }

        private synchronized HttpExecuteResponse answer(HttpExecuteRequest request) throws IOException {
            var http = request.httpRequest();
            if (http.method() == SdkHttpMethod.PUT) {
                log.add("PUT If-None-Match=" + http.firstMatchingHeader("If-None-Match").orElse("(none)"));
                Response r = puts.removeFirst();
                if (r.lost()) {
                    throw new IOException("scripted: connection reset after the request was sent");
                }
                return respond(r.status(), r.body().getBytes(StandardCharsets.UTF_8));
            }
            log.add(http.method().name());
            if (!gets.isEmpty()) {
                Response r = gets.removeFirst();
                byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
                var response = SdkHttpResponse.builder().statusCode(r.status())
                        .putHeader("Content-Length", Long.toString(r.length() < 0 ? body.length : r.length()));
                if (r.contentRange() != null) response.putHeader("Content-Range", r.contentRange());
                return HttpExecuteResponse.builder().response(response.build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
            }
            if (stored == null) {
                return respond(404, error(404, "NoSuchKey").body().getBytes(StandardCharsets.UTF_8));
            }
            return respond(200, stored);
        }

        private static HttpExecuteResponse respond(int status, byte[] body) {
            var response = SdkHttpResponse.builder().statusCode(status)
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .putHeader("ETag", "\"scripted\"")
                    .build();
            return HttpExecuteResponse.builder().response(response)
                    .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
        }

        @Override
        public void close() {
        }
    }
}
