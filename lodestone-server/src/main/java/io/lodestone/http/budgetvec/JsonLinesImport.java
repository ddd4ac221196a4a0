package io.lodestone.http.budgetvec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lodestone.doc.Document;
import io.lodestone.doc.InvalidInputException;
import io.lodestone.engine.WriteRequest;
import io.lodestone.http.JsonValues;
import io.lodestone.http.tpuf.WriteBodyReader;
import io.lodestone.http.tpuf.WriteParser;
import io.lodestone.vector.DistanceMetric;

import java.io.IOException;

/**
 * Reads a JSON Lines import into one write: a row per line ({@code {"id": <unsigned integer>, "vector": [...],
 * ...attributes}}, the turbopuffer row shape), blank lines skipped, and {@code #} outside a string starting a
 * comment that runs to the end of its line (so lines starting with {@code #} are skipped).
 * <p>
 * The body is parsed as it streams in; what accumulates is only each row's document (its vector as a
 * {@code float[]}), and only up to {@code maxRows} rows. The first bad line refuses the whole import, naming the
 * line, before anything is written: the import is one atomic write.
 */
final class JsonLinesImport {
    private JsonLinesImport() {
    }

    /**
     * The import's rows as one write under {@code metric} (null: the namespace's, or the engine's default for a new
     * one); 400 naming the line of the first bad row.
     */
    @SuppressWarnings("deprecation") // ALLOW_YAML_COMMENTS: the only switch for '#' comments on a live parser
    static WriteRequest read(JsonParser p, DistanceMetric metric, int maxRows) throws IOException {
        p.enable(JsonParser.Feature.ALLOW_YAML_COMMENTS);
        WriteBodyReader rows = WriteBodyReader.rows(p);
        WriteRequest.Builder w = WriteRequest.builder();
        if (metric != null) w.distanceMetric(metric);
        int count = 0;
        int lastLine = 0;
        int dimension = -1;
        int dimensionLine = 0;
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            int line = p.currentTokenLocation().getLineNr();
            if (line == lastLine) throw bad(line, "a second JSON value starts on this line; an import holds one row per line");
            if (t != JsonToken.START_OBJECT) {
                throw bad(line, "expected a row (a JSON object); got a value starting with "
                        + JsonValues.abbreviate(JsonNodeFactory.instance.textNode(p.getText())));
            }
            JsonNode row = row(rows, p, line);
            lastLine = p.currentLocation().getLineNr();
            if (lastLine != line) throw bad(line, "the row runs on to line " + lastLine + "; an import holds one row per line");
            JsonNode id = row.get("id");
            if (id == null || !id.isIntegralNumber()) {
                throw bad(line, "id must be an unsigned integer; got " + (id == null ? "nothing" : JsonValues.abbreviate(id)));
            }
            if (++count > maxRows) {
                throw bad(line, "the import has more than " + maxRows + " rows, the limit of one import (limits.max_batch_rows)");
            }
            Document d = WriteParser.row(row, "line " + line);
            if (d.vector() != null) {
                if (dimension < 0) {
                    dimension = d.vector().length;
                    dimensionLine = line;
                } else if (d.vector().length != dimension) {
                    throw bad(line, "the vector has " + d.vector().length + " dimensions; line " + dimensionLine + "'s has " + dimension);
                }
            }
            w.upsert(d);
        }
        if (count == 0) throw new InvalidInputException("the import has no rows");
        return w.build();
    }

    /**
     * The row starting on {@code line}. JSON it leaves unfinished shows only where the next line begins, so the
     * error names the row's line first.
     */
    private static JsonNode row(WriteBodyReader rows, JsonParser p, int line) throws IOException {
        try {
            return rows.row();
        } catch (StreamConstraintsException e) {
            throw e;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw bad(line, "malformed JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    private static InvalidInputException bad(int line, String message) {
        return new InvalidInputException("line " + line + ": " + message);
    }
}
