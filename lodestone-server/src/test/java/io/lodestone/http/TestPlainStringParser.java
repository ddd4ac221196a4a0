package io.lodestone.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PlainStringParser} against Jackson's own parser: the same tokens, texts, locations and errors for any
 * input, however the stream splits it, whether a string is read as bytes or as text.
 */
class TestPlainStringParser {
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** Hands out the bytes a few at a time, as a network stream may. */
    private static InputStream trickle(byte[] bytes, Random random) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(random.nextBoolean() ? 7 : 20_000)));
            }
        };
    }

    /** Every token with its text and location, then the error if any; strings read as bytes where {@code plain}. */
    private static String tokens(JsonParser p, boolean plain) {
        StringJoiner out = new StringJoiner("\n");
        try (p) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                String text = null;
                if (t == JsonToken.VALUE_STRING && plain && p instanceof PlainStringParser ps) {
                    text = ps.readPlainString((b, off, len) -> new String(b, off, len, StandardCharsets.ISO_8859_1));
                }
                if (text == null) text = p.getText();
                JsonLocation at = p.currentLocation();
                out.add(t + " " + text + " @" + at.getByteOffset() + " " + at.getLineNr() + ":" + at.getColumnNr());
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            out.add("error: " + e.getOriginalMessage() + (at == null ? "" : " @" + at.getLineNr() + ":" + at.getColumnNr()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toString();
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(4) == 0 ? random.nextInt(70_000) : random.nextInt(30);
        for (int i = 0; i < n; i++) s.append(BASE64.charAt(random.nextInt(BASE64.length())));
        if (random.nextInt(4) == 0) {
            String odd = switch (random.nextInt(5)) {
                case 0 -> "\\/";
                case 1 -> "é";
                case 2 -> "\\u00e9";
                case 3 -> " ~\u007f";
                default -> "\t"; // not allowed unescaped: Jackson's error
            };
            s.insert(random.nextInt(s.length() + 1), odd);
        }
        return s.toString();
    }

    private static byte[] randomDocument(Random random) {
        StringJoiner values = new StringJoiner(",\n ", "{\"rows\": [", "]}");
        for (int i = random.nextInt(12); i >= 0; i--) {
            values.add("{\"id\": " + i + ", \"v\": \"" + randomString(random) + "\", \"n\": [1.5, true, null]}");
        }
        String doc = values.toString();
        if (random.nextInt(5) == 0) doc = doc.substring(0, random.nextInt(doc.length())); // cut short: an error
        return doc.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sameTokensTextsLocationsAndErrorsAsJacksonHoweverTheStreamSplits() throws IOException {
        Random random = new Random(20261207);
        JsonFactory jackson = new JsonFactory();
        VectorJsonFactory ours = new VectorJsonFactory(new JsonFactoryBuilder());
        for (int i = 0; i < 120; i++) {
            byte[] doc = randomDocument(random);
            String expected = tokens(jackson.createParser(doc), false);
            assertThat(tokens(ours.createParser(trickle(doc, random)), true)).as("document %d, streamed", i).isEqualTo(expected);
            assertThat(tokens(ours.createParser(doc), true)).as("document %d, from an array", i).isEqualTo(expected);
            assertThat(tokens(ours.createParser(trickle(doc, random)), false)).as("document %d, as text", i).isEqualTo(expected);
        }
    }

    @Test
    void onlyUtf8WithoutByteOrderMarkGetsThePlainStringParser() throws IOException {
        VectorJsonFactory ours = new VectorJsonFactory(new JsonFactoryBuilder());
        assertThat(ours.createParser(new ByteArrayInputStream("{\"a\": \"b\"}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(PlainStringParser.class);
        List<byte[]> others = new ArrayList<>();
        others.add("\uFEFF{\"a\": \"b\"}".getBytes(StandardCharsets.UTF_8));
        others.add("{\"a\": \"b\"}".getBytes(StandardCharsets.UTF_16BE));
        others.add("{\"a\": \"b\"}".getBytes(StandardCharsets.UTF_16LE));
        others.add("{\"a\": \"b\"}".getBytes(StandardCharsets.UTF_16)); // with a byte-order mark
        for (byte[] doc : others) {
            JsonParser p = ours.createParser(new ByteArrayInputStream(doc));
            assertThat(p).isNotInstanceOf(PlainStringParser.class);
            assertThat(tokens(p, true)).isEqualTo(tokens(new JsonFactory().createParser(doc), false)).contains("VALUE_STRING b");
        }
    }

    @Test
    void aStringOverTheLengthLimitIsLeftToJacksonWhichRefusesIt() throws IOException {
        StreamReadConstraints limit = StreamReadConstraints.builder().maxStringLength(24).build();
        VectorJsonFactory ours = new VectorJsonFactory(new JsonFactoryBuilder().streamReadConstraints(limit));
        String atLimit = "A".repeat(24);
        try (JsonParser p = ours.createParser(("[\"" + atLimit + "\"]").getBytes(StandardCharsets.UTF_8))) {
            p.nextToken();
            p.nextToken();
            Integer length = ((PlainStringParser) p).readPlainString((b, off, len) -> len);
            assertThat(length).isEqualTo(24);
        }
        String over = tokens(ours.createParser(trickle(("[\"" + "A".repeat(100) + "\"]").getBytes(StandardCharsets.UTF_8), new Random(1))), true);
        assertThat(over).contains("error: String value length (100) exceeds the maximum allowed (24");
    }
}
