package io.lodestone.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The objects under a namespace's key prefix as they lie in the bucket: how many, their bytes, and the bytes
 * by part of the namespace ({@code wal}, {@code manifest}, {@code segments}, ...) and by segment file name
 * ({@code hnsw}, {@code vectors}, ...), so that what a query reads can be set against what there is.
 *
 * @param objects      objects under the prefix
 * @param bytes        their bytes
 * @param byPart       bytes by the first key segment after the namespace's incarnation ({@code wal}, ...)
 * @param segmentFiles bytes of segment files by file name, summed over segments
 */
record BucketObjects(long objects, long bytes, Map<String, Long> byPart, Map<String, Long> segmentFiles) {

    /** Lists {@code prefix} (a namespace's {@code .../ns/NAME/}) and sizes each object. */
    static BucketObjects of(ObjectStore store, String prefix) throws IOException {
        long objects = 0;
        long bytes = 0;
        Map<String, Long> byPart = new TreeMap<>();
        Map<String, Long> segmentFiles = new TreeMap<>();
        String after = null;
        List<String> page;
        while (!(page = store.list(prefix, after, 1000)).isEmpty()) {
            for (String key : page) {
                long size = store.size(key);
                objects++;
                bytes += size;
                // NAME/INCARNATION/PART/...: the part is the second segment after the prefix
                String[] rest = key.substring(prefix.length()).split("/");
                String part = rest.length > 2 ? rest[1] : "(other)";
                byPart.merge(part, size, Long::sum);
                if (part.equals("segments") && rest.length > 3) segmentFiles.merge(rest[rest.length - 1], size, Long::sum);
            }
            after = page.getLast();
        }
        return new BucketObjects(objects, bytes, byPart, segmentFiles);
    }

    /** Adds {@code namespace_objects}, {@code namespace_bytes} and the two breakdowns to a JSON line. */
    void putInto(ObjectNode line) {
        line.put("namespace_objects", objects).put("namespace_bytes", bytes);
        ObjectNode parts = line.putObject("namespace_bytes_by_part");
        byPart.forEach(parts::put);
        ObjectNode files = line.putObject("segment_bytes_by_file");
        segmentFiles.forEach(files::put);
    }
}
