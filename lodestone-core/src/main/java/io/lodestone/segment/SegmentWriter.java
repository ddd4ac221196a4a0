package io.lodestone.segment;

import io.lodestone.doc.Document;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a new segment from documents: the files are built in a local scratch directory, then uploaded,
 * then moved into the disk cache (so this server does not download them again); the segment becomes live
 * only when a manifest that names it is published.
 */
public final class SegmentWriter {
    private SegmentWriter() {
    }

    /** What a finished segment needs in its manifest entry. */
    public record Written(String id, int rows, long bytes, boolean hasAnnIndex) {
    }

    /**
     * Builds and uploads a segment.
     *
     * @param docs documents in row order (ids unique)
     * @param dims vector dimension, 0 when no document has a vector
     */
    public static Written write(SegmentFiles files, String prefix, List<Document> docs, int dims, SegmentIndexer indexer,
                                Map<String, FullTextOptions> textAttributes) throws IOException {
        String id = SegmentKeys.newSegmentId();
        Path dir = files.scratchDir();
        ObjectStore store = files.store();
        Map<String, Path> uploaded = new java.util.LinkedHashMap<>();
        try {
            long bytes = 0;
            Path docsFile = dir.resolve("docs");
            try (SegmentDocsFile.Writer w = new SegmentDocsFile.Writer(docsFile)) {
                for (Document d : docs) w.add(d.id(), d.attributes());
                bytes += w.finish();
            }
            upload(store, SegmentKeys.docs(prefix, id), docsFile, uploaded);
            boolean hasAnnIndex = false;
            if (dims > 0 && docs.stream().anyMatch(d -> d.vector() != null)) {
                Path vectorsFile = dir.resolve("vectors");
                try (SegmentVectorsFile.Writer w = new SegmentVectorsFile.Writer(vectorsFile, dims, docs.size())) {
                    for (Document d : docs) w.add(d.vector());
                    bytes += w.finish();
                }
                upload(store, SegmentKeys.vectors(prefix, id), vectorsFile, uploaded);
                for (SegmentIndexer.IndexFile f : indexer.build(vectorsFile, dir)) {
                    bytes += Files.size(f.file());
                    upload(store, SegmentKeys.segmentPrefix(prefix, id) + f.name(), f.file(), uploaded);
                    hasAnnIndex |= f.name().equals(SegmentKeys.GRAPH) || f.name().equals(SegmentKeys.CLUSTERED);
                }
            }
            if (!textAttributes.isEmpty()) {
                List<Map<String, Object>> rows = docs.stream().map(Document::attributes).toList();
                for (Map.Entry<String, FullTextOptions> e : textAttributes.entrySet()) {
                    Path textFile = dir.resolve("text-" + Integer.toHexString(e.getKey().hashCode()));
                    bytes += SegmentTextFile.write(textFile, SegmentTextFile.build(rows, e.getKey(), e.getValue()), e.getValue());
                    upload(store, SegmentTextFile.key(prefix, id, e.getKey()), textFile, uploaded);
                }
            }
            // Only now: the index build reads the vectors file after its upload.
            for (Map.Entry<String, Path> e : uploaded.entrySet()) files.adopt(e.getKey(), e.getValue());
            return new Written(id, docs.size(), bytes, hasAnnIndex);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static void upload(ObjectStore store, String key, Path file, Map<String, Path> uploaded) throws IOException {
        store.putFile(key, file);
        uploaded.put(key, file);
    }

    /** Builds the optional vector index files of a segment from its vectors file. */
    public interface SegmentIndexer {
        /** A built file and its name within the segment ({@link SegmentKeys#GRAPH}, {@link SegmentKeys#CODES}, {@link SegmentKeys#CLUSTERED}). */
        record IndexFile(String name, Path file) {
        }

        /** Writes index files for the vectors into {@code scratch}; none when this segment gets no index. */
        List<IndexFile> build(Path vectorsFile, Path scratch) throws IOException;

        SegmentIndexer NONE = (v, s) -> List.of();
    }
}
