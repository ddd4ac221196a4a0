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

    /**
     * What a finished segment needs in its manifest entry.
     *
     * @param files the extent of each file (what a remote open of it reads)
     */
    public record Written(String id, int rows, long bytes, boolean hasAnnIndex, java.util.List<FileExtent> files) {
        /** The manifest entry of the new segment (no rows deleted yet), holding log entries minSeq..maxSeq. */
        public Manifest.SegmentInfo info(long minSeq, long maxSeq) {
            return new Manifest.SegmentInfo(id, rows, rows, hasAnnIndex, "", bytes, minSeq, maxSeq, files);
        }
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
            String segmentPrefix = SegmentKeys.segmentPrefix(prefix, id);
            List<FileExtent> extents = new java.util.ArrayList<>(uploaded.size());
            for (Map.Entry<String, Path> e : uploaded.entrySet()) {
                extents.add(extentOf(e.getKey().substring(segmentPrefix.length()), e.getValue()));
            }
            // Only now: the index build reads the vectors file after its upload.
            for (Map.Entry<String, Path> e : uploaded.entrySet()) files.adopt(e.getKey(), e.getValue());
            return new Written(id, docs.size(), bytes, hasAnnIndex, extents);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Measures what an open of a built file reads, with the reader a server opens it with. */
    private static FileExtent extentOf(String name, Path file) throws IOException {
        return switch (name) {
            case "docs" -> FileExtent.measure(name, file, (f, r) -> SegmentDocsFile.open(f, r, name));
            case "vectors" -> FileExtent.measure(name, file, (f, r) -> SegmentVectorsFile.open(f, r, name));
            case SegmentKeys.CLUSTERED -> FileExtent.measure(name, file, (f, r) -> SegmentAnnFiles.openClustered(f, r, name));
            case SegmentKeys.GRAPH, SegmentKeys.CODES -> FileExtent.whole(name, file); // a graph walk reads any of it
            default -> FileExtent.measure(name, file, (f, r) -> SegmentTextFile.open(f, r, name));
        };
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
