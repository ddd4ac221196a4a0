package io.lodestone.http.tpuf;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lodestone.doc.Document;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.WriteRequest;
import io.lodestone.http.HttpJson;
import io.lodestone.vector.VectorCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming write-body reader against the Jackson tree it replaced: the same {@link WriteRequest} (or the
 * same error message) for every body, and vector components bit-identical to {@link Float#parseFloat}.
 */
class TestWriteBodyReader {
    private static final WriteParser WRITES = new WriteParser(100);

    /** What a parser made of a body: the request rendered canonically, or the error message. */
    private static String viaTree(String body) {
        return outcome(body, false);
    }

    private static String viaStream(String body) {
        return outcome(body, true);
    }

    /** Read from a stream that hands out a few bytes at a time, so that vectors straddle the parser's refills. */
    private static String viaTrickle(String body, Random random) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        InputStream in = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(random.nextBoolean() ? 9 : 30_000)));
            }
        };
        return outcome(body, true, in);
    }

    private static String outcome(String body, boolean stream) {
        return outcome(body, stream, null);
    }

    /**
     * Read by Jackson's own parser (configured as the server's), so every vector goes token by token: what reading
     * straight from the input bytes must reproduce exactly.
     */
    private static String viaTokens(String body) {
        return outcome(body, true, null, TOKENS);
    }

    private static final ObjectMapper TOKENS = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private static String outcome(String body, boolean stream, InputStream in) {
        return outcome(body, stream, in, HttpJson.MAPPER);
    }

    private static String outcome(String body, boolean stream, InputStream in, ObjectMapper mapper) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            WriteParser.Parsed p;
            if (stream) {
                try (JsonParser parser = in != null ? mapper.createParser(in) : mapper.createParser(bytes)) {
                    p = WRITES.parse(WriteBodyReader.read(parser));
                }
            } else {
                var tree = HttpJson.MAPPER.readTree(bytes);
                if (tree == null || tree.isMissingNode()) return "error: request body is empty; expected a JSON object";
                p = WRITES.parse(tree);
            }
            return canonical(p);
        } catch (InvalidInputException e) {
            return "error: " + e.getMessage();
        } catch (JsonProcessingException e) {
            return "error: malformed JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String canonical(WriteParser.Parsed p) {
        WriteRequest r = p.request();
        StringJoiner out = new StringJoiner("\n");
        out.add("metric=" + r.distanceMetric() + " schema=" + r.schema() + " index=" + r.index()
                + " return_affected_ids=" + p.returnAffectedIds());
        for (Document d : r.upserts()) out.add("upsert " + d.id() + " " + bits(d.vector()) + " " + d.attributes());
        r.patches().forEach(x -> out.add("patch " + x));
        r.deletes().forEach(x -> out.add("delete " + x));
        out.add("delete_by_filter=" + r.deleteByFilter() + " patch_by_filter=" + r.patchByFilter() + " "
                + r.patchByFilterAttributes());
        return out.toString();
    }

    private static String bits(float[] v) {
        if (v == null) return "null";
        StringJoiner s = new StringJoiner(",", "[", "]");
        for (float f : v) s.add(Integer.toHexString(Float.floatToRawIntBits(f)));
        return s.toString();
    }

    @Test
    void seededRandomBodiesGiveTheSameRequestAsTheTreeParser() {
        Random random = new Random(20261206);
        for (int i = 0; i < 300; i++) {
            String body = randomBody(random);
            String tree = viaTree(body);
            assertThat(viaStream(body)).as("body %d: %s", i, body).isEqualTo(tree);
            assertThat(tree).as("generated bodies are valid").doesNotStartWith("error");
        }
    }

    @Test
    void bodiesStreamedInPiecesGiveTheSameRequest() {
        Random random = new Random(20261207);
        for (int i = 0; i < 200; i++) {
            String body = randomBody(random);
            assertThat(viaTrickle(body, random)).as("body %d: %s", i, body).isEqualTo(viaTree(body));
        }
        for (int dims : new int[]{768, 10_752}) { // base64 of 4 KB and of 56 KB, the largest a vector may be
            StringJoiner rows = new StringJoiner(", ", "{\"upsert_rows\": [", "]}");
            for (int r = 0; r < 6; r++) {
                float[] v = new float[dims];
                for (int j = 0; j < dims; j++) v[j] = random.nextFloat() - 0.5f;
                String b64 = VectorCodec.encodeBase64(v);
                if (r == 4) b64 = b64.replace("/", "\\/"); // an escape: read as text, same vector
                rows.add("{\"id\": " + r + ", \"vector\": \"" + b64 + "\", \"c\": \"x\"}");
            }
            String body = rows.toString();
            String tree = viaTree(body);
            assertThat(tree).doesNotStartWith("error");
            assertThat(viaTrickle(body, random)).as("%d dims", dims).isEqualTo(tree);
            assertThat(viaStream(body)).as("%d dims", dims).isEqualTo(tree);
            assertThat(viaTrickle(body.substring(0, body.length() - 30), random)).isEqualTo(viaTree(body.substring(0, body.length() - 30)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "null", "42", "\"x\"", "[1, 2]", "{} {}", "{} xyz", "{\"upsert_rows\": [{\"id\": 1,",
            "{\"nope\": 1}", "{\"upsert_rows\": {}}", "{\"upsert_rows\": [1]}", "{\"upsert_rows\": [{\"vector\": [1]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, \"a\"]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, null]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, [2]]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, {\"a\": 1}, 3]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": []}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [NaN]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, Infinity]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [-Infinity, 1]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [0.5, 1e39]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [-1e400]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [123456789012345678901234567890123456789012]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"!!!!\"}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"AAA\"}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"\"}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"AADAfw==\"}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"AACAfw\"}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"AAAAAé==\"}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"AAAA AAA=\"}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"AAA\\/AAA=\"}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"AAAA\tAAA=\"}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"AACAfw==",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": true}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": {}}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, 2]}, {\"id\": -1, \"vector\": [1, 2]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, 2], \"tags\": {\"a\": 1}}]}",
            "{\"upsert_columns\": {\"id\": [1, 2], \"vector\": [[1, 2]]}}",
            "{\"upsert_columns\": {\"id\": [1], \"vector\": [[1, \"x\"]]}}",
            "{\"upsert_columns\": {\"id\": [1], \"vector\": {\"a\": 1}}}",
            "{\"upsert_columns\": {\"id\": [1], \"vector\": \"AAAAAA==\"}}",
            "{\"upsert_columns\": {\"id\": [1], \"vector\": [\"AAAAAA==\", 3]}}",
            "{\"upsert_columns\": {\"vector\": [[1]]}}",
            "{\"patch_rows\": [{\"id\": 1, \"vector\": [1, 2]}]}",
            "{\"patch_rows\": [{\"id\": 1, \"vector\": null, \"a\": 1}]}",
            "{\"patch_columns\": {\"id\": [1], \"vector\": [[1.5]]}}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1]}], \"upsert_rows\": [{\"id\": 2, \"vector\": [2]}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1], \"vector\": \"AACAPw==\"}]}",
            "{\"upsert_rows\": [{\"id\": 1, \"vector\": [1]}, {\"id\": 2, \"vector\": [1]}, {\"id\": 3, \"vector\": [1]}],"
                    + " \"deletes\": [4, 5], \"distance_metric\": \"cosine_distance\"}",
            "{\"upsert_rows\": null, \"upsert_columns\": null, \"distance_metric\": \"manhattan\"}",
    })
    void errorsAndEdgeCasesMatchTheTreeParser(String body) {
        assertThat(viaStream(body)).isEqualTo(viaTree(body));
    }

    @Test
    void rowLimitIsEnforcedTheSameWay() {
        String body = "{\"upsert_rows\": [" + "{\"id\": 1, \"vector\": [1]},".repeat(100) + "{\"id\": 1, \"vector\": [1]}]}";
        assertThat(viaStream(body)).isEqualTo(viaTree(body)).contains("the limit per request is 100");
    }

    @Test
    void errorCasesStillNameTheProblem() {
        assertThat(viaStream("{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, \"a\"]}]}"))
                .isEqualTo("error: upsert_rows[0]: vector component 1 is not a number: \"a\"");
        assertThat(viaStream("{\"upsert_rows\": [{\"id\": 1, \"vector\": [1, NaN]}]}"))
                .isEqualTo("error: upsert_rows[0]: vector component 1 is NaN; components must be finite");
        assertThat(viaStream("{\"upsert_rows\": [{\"id\": 1, \"vector\": \"AAA\"}]}"))
                .startsWith("error: upsert_rows[0]: vector is not valid base64 float32");
        assertThat(viaStream("{} {}")).startsWith("error: malformed JSON: Trailing token");
    }

    /** Decimal texts whose float is hard to get right: every one must be exactly what Float.parseFloat gives. */
    @Test
    void jsonComponentsAreBitIdenticalToFloatParseFloat() {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>(List.of("0", "-0", "0.0", "-0.0", "1", "-1", "1E+10", "1e-10", "3.4028235e38",
                "-3.4028235e38", "3.40282356e38", "1.4e-45", "1.0E-45", "7.0e-46", "1.17549435E-38", "1.1754942E-38",
                "16777216", "16777217", "16777219", "9007199254740993", "0.1", "0.30000001192092896",
                "1.00000005960464477539062", "1.000000059604644775390625", "1.0000000596046447753906251",
                "12345678", "87654321.12345678", "0.12345678", "-0.1234567890123456", "9007199254740992", "90071992.54740992",
                "90071993.00000000", "900719925474099.2e-5", "0.0000000099999999", "99999999999999999999", "1.2345678e-30"));
        for (int i = 0; i < 4_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (!Float.isFinite(f)) continue;
            texts.add(Float.toString(f));
            texts.add(new BigDecimal(f).toString());
            float next = Math.nextUp(f);
            if (Float.isFinite(next)) {
                BigDecimal mid = new BigDecimal(f).add(new BigDecimal(next)).divide(BigDecimal.valueOf(2));
                texts.add(mid.toString());
                if (mid.precision() - mid.scale() > -60) texts.add(mid.toPlainString());
                texts.add(mid.add(mid.ulp()).toString());
                texts.add(mid.subtract(mid.ulp()).toString());
            }
            texts.add(randomDecimal(random));
        }
        StringBuilder vector = new StringBuilder();
        List<Float> expected = new ArrayList<>();
        for (String t : texts) {
            float want = Float.parseFloat(t);
            float fast = fast(t);
            if (!Float.isNaN(fast)) assertThat(Float.floatToRawIntBits(fast)).as(t).isEqualTo(Float.floatToRawIntBits(want));
            if (!Float.isFinite(want)) continue;
            vector.append(vector.isEmpty() ? "" : ",").append(t.replace("E+", "e").replace("E", "e"));
            expected.add(want);
        }
        float[] got = streamVector("[" + vector + "]");
        assertThat(got).hasSize(expected.size());
        for (int i = 0; i < got.length; i++) {
            assertThat(Float.floatToRawIntBits(got[i])).as("component %d", i).isEqualTo(Float.floatToRawIntBits(expected.get(i)));
        }
    }

    @Test
    void fastFloatRefusesWhatItCannotRoundExactly() {
        for (String t : new String[]{"NaN", "Infinity", "-Infinity", "1234567890123456789", "1e23", "1e-23", "", "-", "1.5x",
                "01", "-01", "00", "1.", ".5", "-.5", "1.e5", "1e", "1e+", "1E-", "+1", "1e5.5", "1-2", "0x10", " 1", "1 "}) {
            assertThat(fast(t)).as(t).isNaN();
        }
        String tie = new BigDecimal(1.0f).add(new BigDecimal(Math.nextUp(1.0f))).divide(BigDecimal.valueOf(2)).toPlainString();
        assertThat(fast(tie)).as("a tie goes to the exact parser").isNaN();
    }

    /**
     * The word-at-a-time reading of a list's numbers agrees with the byte-at-a-time one on every shape: for seeded
     * numbers of every length of integer part, fraction and exponent (valid JSON or not), a number read in a list
     * with room after it gives exactly the float a lone {@link FastFloat#parse} gives, and is refused exactly when
     * that one is; each accepted float is {@link Float#parseFloat}'s.
     */
    @Test
    void numbersReadAWordAtATimeMatchTheByteAtATimeReading() {
        Random random = new Random(11);
        List<String> texts = new ArrayList<>(List.of("0", "-0", "0.0", "1", "-1", "0.36104655", "-0.49999997", "1.2345678E-4",
                "9.99999E-5", "1234567", "12345678", "1234567.1234567", "0.123456789012345678", "1e22", "1e23", "1E-22",
                "1e007", "1e0007", "1e+5", "1e-", "1e", "1.", ".5", "01", "-01", "00", "-", "1.5x", "1e5.5", "0.1234567890123456",
                "12345678901234567", "123456789012345678", "9007199254740993", "1.0000000596046447753906250"));
        String[] parts = {"", "0", "00", "-", "1", "12", "1234567", "12345678", "123456789", "0123"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder t = new StringBuilder();
            if (random.nextBoolean()) t.append('-');
            t.append(random.nextInt(8) == 0 ? parts[random.nextInt(parts.length)] : digits(random, 1 + random.nextInt(8)));
            if (random.nextInt(4) > 0) t.append('.').append(digits(random, random.nextInt(20)));
            if (random.nextInt(3) == 0) {
                t.append("eE".charAt(random.nextInt(2))).append(new String[]{"", "-", "+"}[random.nextInt(3)]).append(digits(random, random.nextInt(5)));
            }
            texts.add(t.toString());
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(f)) texts.add(Float.toString(f));
            texts.add(Float.toString(random.nextFloat() - 0.5f));
        }
        float[] out = new float[128];
        String room = ",0".repeat(40);
        for (String t : texts) {
            byte[] alone = t.getBytes(StandardCharsets.US_ASCII);
            float want = FastFloat.parse(alone, 0, alone.length);
            // First, after another number, before only a little room (then the per-position reading), and last.
            String[] lists = {t + room, "-1.5," + t + room, t + ",0,0", "0," + t};
            int[] at = {0, 1, 0, 1};
            for (int k = 0; k < lists.length; k++) {
                byte[] list = lists[k].getBytes(StandardCharsets.US_ASCII);
                int n = FastFloat.parseList(list, 0, list.length, out, 64);
                if (!Float.isFinite(want)) {
                    assertThat(n).as(lists[k]).isEqualTo(-1);
                    continue;
                }
                assertThat(n).as(lists[k]).isEqualTo(lists[k].split(",").length);
                assertThat(Float.floatToRawIntBits(out[at[k]])).as(lists[k]).isEqualTo(Float.floatToRawIntBits(want))
                        .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(t)));
            }
        }
    }

    private static String digits(Random random, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) s.append((char) ('0' + random.nextInt(10)));
        return s.toString();
    }

    private static float fast(String text) {
        return FastFloat.parse(text.getBytes(StandardCharsets.US_ASCII), 0, text.length());
    }

    /**
     * Arrays of numbers read straight from the input bytes: the same floats as token-by-token reading for valid
     * shapes, and for anything else (what Jackson refuses, what FastFloat leaves to the exact parser) the same
     * values or errors, including the line and column of an error after a vector spread over several lines.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "[1, -0, 0, 0e0, 1E5, 1e-5, 2.5E+3, -0.0]", "[ 1 ,\t2\n,\n3 ]", "[\n1,\n2\n]", "[1]", "[0.1,0.2,0.3]",
            "[01]", "[-01]", "[1.]", "[.5]", "[1e]", "[1e+]", "[+1]", "[-]", "[1,]", "[,1]", "[1,,2]", "[1 2]", "[1-2]",
            "[1,\r\n2]", "[1, 1e39]", "[1, -1e39]", "[1, 1e400]", "[1, 1e-400]", "[1, NaN]", "[1, \"2\"]", "[1, [2]]",
            "[1, 123456789012345678901234567890123456789012345678901234567890123456789]", "[1, 0x10]", "[1, true]",
            "[1, 1.00000005960464477539062500000000000000000000000000000000000000000000000001]",
    })
    void numberArraysReadFromBytesMatchTheTreeParser(String vector) {
        for (String body : List.of("{\"upsert_rows\": [{\"id\": 1, \"vector\": " + vector + ", \"a\": 1}]}",
                "{\"upsert_rows\": [{\"id\": 1, \"vector\": " + vector + "}, {\"id\": 2, \"vector\": " + vector + "}],\n \"deletes\": [1]}",
                "{\"upsert_rows\": [{\"id\": 1, \"vector\": " + vector + "},\n  {\"id\": 2, \"vector\": [1, x]}]}",
                "{\"upsert_columns\": {\"id\": [1, 2], \"vector\": [" + vector + ", " + vector + "]}}")) {
            String tokens = viaTokens(body);
            assertThat(viaStream(body)).as(body).isEqualTo(tokens);
            assertThat(viaTrickle(body, new Random(body.hashCode()))).as(body).isEqualTo(tokens);
        }
    }

    @Test
    void base64VectorsRoundTrip() {
        Random random = new Random(11);
        for (int i = 0; i < 50; i++) {
            float[] v = new float[1 + random.nextInt(40)];
            for (int j = 0; j < v.length; j++) {
                float f;
                do {
                    f = Float.intBitsToFloat(random.nextInt());
                } while (!Float.isFinite(f));
                v[j] = j == 0 ? -0.0f : j == 1 ? Float.MIN_VALUE : f;
            }
            String padded = VectorCodec.encodeBase64(v);
            String unpadded = padded.replace("=", "");
            for (String b64 : List.of(padded, unpadded)) {
                String body = "{\"upsert_rows\": [{\"id\": 1, \"vector\": \"" + b64 + "\"}]}";
                assertThat(viaStream(body)).isEqualTo(viaTree(body));
                assertThat(streamVector("\"" + b64 + "\"")).isEqualTo(v);
            }
        }
    }

    private static float[] streamVector(String vectorJson) {
        String body = "{\"upsert_rows\": [{\"id\": 1, \"vector\": " + vectorJson + "}]}";
        try (JsonParser parser = HttpJson.MAPPER.createParser(body)) {
            return WRITES.parse(WriteBodyReader.read(parser)).request().upserts().getFirst().vector();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Up to 25 digits, a decimal point anywhere, an exponent from -60 to 60. */
    private static String randomDecimal(Random random) {
        StringBuilder s = new StringBuilder(random.nextBoolean() ? "-" : "");
        int digits = 1 + random.nextInt(25);
        int point = random.nextInt(digits + 1);
        for (int d = 0; d < digits; d++) {
            if (d == point && d > 0) s.append('.');
            s.append(d == 0 && digits > 1 && point != 1 ? 1 + random.nextInt(9) : random.nextInt(10));
        }
        if (random.nextBoolean()) s.append('e').append(random.nextInt(121) - 60);
        return s.toString();
    }

    /** A valid write body: rows or columns, JSON or base64 vectors, every attribute type, deletes, options. */
    private static String randomBody(Random random) {
        int dims = 1 + random.nextInt(12);
        StringJoiner fields = new StringJoiner(", ", "{", "}");
        long id = random.nextInt(1000);
        if (random.nextBoolean()) {
            StringJoiner rows = new StringJoiner(", ", "[", "]");
            for (int r = random.nextInt(5); r >= 0; r--) {
                rows.add("{\"id\": " + id++ + ", \"vector\": " + randomVector(random, dims) + randomAttributes(random) + "}");
            }
            fields.add("\"upsert_rows\": " + rows);
        }
        if (random.nextBoolean()) {
            int n = 1 + random.nextInt(4);
            StringJoiner ids = new StringJoiner(", ", "[", "]");
            StringJoiner vectors = new StringJoiner(", ", "[", "]");
            StringJoiner tags = new StringJoiner(", ", "[", "]");
            for (int r = 0; r < n; r++) {
                ids.add("\"doc-" + id++ + "\"");
                vectors.add(random.nextInt(5) == 0 ? "null" : randomVector(random, dims));
                tags.add(random.nextBoolean() ? "null" : "\"t" + random.nextInt(5) + "\"");
            }
            fields.add("\"upsert_columns\": {\"id\": " + ids + ", \"vector\": " + vectors + ", \"tag\": " + tags + "}");
        }
        if (random.nextBoolean()) {
            fields.add("\"patch_rows\": [{\"id\": " + random.nextInt(1000) + randomAttributes(random) + "}]");
        }
        if (random.nextBoolean()) fields.add("\"deletes\": [" + random.nextInt(1000) + ", \"gone\"]");
        if (random.nextBoolean()) fields.add("\"distance_metric\": \"" + (random.nextBoolean() ? "cosine_distance" : "euclidean_squared") + "\"");
        if (random.nextBoolean()) fields.add("\"return_affected_ids\": " + random.nextBoolean());
        if (random.nextInt(4) == 0) fields.add("\"delete_by_filter\": [\"tag\", \"Eq\", \"t1\"]");
        if (fields.length() == 2) fields.add("\"deletes\": [1]");
        return fields.toString();
    }

    private static String randomVector(Random random, int dims) {
        float[] v = new float[dims];
        for (int j = 0; j < dims; j++) v[j] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
        if (random.nextInt(3) == 0) return "\"" + VectorCodec.encodeBase64(v) + "\"";
        StringJoiner s = new StringJoiner(", ", "[", "]");
        for (float f : v) {
            switch (random.nextInt(4)) {
                case 0 -> s.add(Integer.toString(Math.round(f)));
                case 1 -> s.add(String.format("%.3e", f));
                default -> s.add(Float.toString(f));
            }
        }
        return s.toString();
    }

    private static String randomAttributes(Random random) {
        StringBuilder s = new StringBuilder();
        if (random.nextBoolean()) s.append(", \"title\": \"row ").append(random.nextInt(100)).append(" ü\"");
        if (random.nextBoolean()) s.append(", \"count\": ").append(random.nextInt(1_000_000) - 500_000);
        if (random.nextBoolean()) s.append(", \"score\": ").append(random.nextDouble() * 100);
        if (random.nextBoolean()) s.append(", \"ok\": ").append(random.nextBoolean());
        if (random.nextBoolean()) s.append(", \"tags\": [\"a\", \"b").append(random.nextInt(9)).append("\"]");
        if (random.nextBoolean()) s.append(", \"gone\": null");
        return s.toString();
    }
}
