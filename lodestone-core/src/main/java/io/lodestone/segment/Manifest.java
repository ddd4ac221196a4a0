package io.lodestone.segment;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.codec.Frame;
import io.lodestone.codec.IndexConfigCodec;
import io.lodestone.codec.SchemaCodec;
import io.lodestone.doc.IndexConfig;
import io.lodestone.doc.Schema;
import io.lodestone.vector.DistanceMetric;

import java.util.ArrayList;
import java.util.List;

/**
 * One published version of a namespace's index: the configuration as of {@code lastIndexedSeq}, and the
 * live segments. Published by creating {@code manifest/{version:020}} with create-if-absent, so exactly
 * one publisher wins each version. Format {@code lodestone.manifest} v3 (v2 lacks the file extents, read as none;
 * v1 also lacks {@code type}, read as hnsw):
 * <pre>
 * body: varlong version | varlong lastIndexedSeq | int64 createdAt | int64 updatedAt | int64 publishedAt
 *       | byte metricSet | string metric | varint dims | schema (SchemaCodec)
 *       | varint m | varint efConstruction | string quantization | string type (hnsw | clustered)
 *       | varint segmentCount | segment*
 * segment: string id | varint rows | varint liveRows | byte hasAnnIndex | string deletesKey ("" for none)
 *          | varlong bytes | varlong minSeq | varlong maxSeq | varint fileCount | file*
 * file:    string name | varlong size | varlong headBytes | varlong endBytes   (a {@link FileExtent})
 * </pre>
 *
 * @param version         manifest version, 1-based
 * @param lastIndexedSeq  every log entry up to this is folded into the segments
 * @param createdAtMillis namespace creation time
 * @param updatedAtMillis time of the last folded write
 * @param publishedAtMillis when this version was published (garbage collection counts its grace period from it)
 * @param metric          distance metric (meaningful when {@code metricSet})
 * @param metricSet       whether the metric was fixed
 * @param dims            vector dimension, 0 when none yet
 * @param schema          attribute schema
 * @param index           index configuration
 * @param segments        live segments, oldest first
 */
public record Manifest(long version, long lastIndexedSeq, long createdAtMillis, long updatedAtMillis, long publishedAtMillis,
                       DistanceMetric metric, boolean metricSet, int dims, Schema schema, IndexConfig index,
                       List<SegmentInfo> segments) {
    static final String FORMAT = "lodestone.manifest";
    /** 2 adds the index type (version 1 manifests are read as HNSW); 3 the segments' file extents. */
    static final int VERSION = 3;

    public Manifest {
        segments = List.copyOf(segments);
    }

    /** The manifest of a namespace nothing has been indexed for yet. */
    public static Manifest initial(long createdAtMillis, IndexConfig index) {
        return new Manifest(0, 0, createdAtMillis, createdAtMillis, createdAtMillis, DistanceMetric.COSINE_DISTANCE, false, 0,
                Schema.EMPTY, index, List.of());
    }

    /**
     * A segment of the manifest.
     *
     * @param id         segment id (its key prefix under {@code segments/})
     * @param rows       rows in the segment
     * @param liveRows   rows not deleted by {@code deletesKey}
     * @param hasAnnIndex whether an ANN index file exists (an HNSW graph or a clustered index)
     * @param deletesKey key of the current deletion vector, or "" when none
     * @param bytes      total size of the segment's files
     * @param minSeq     first log entry folded into it
     * @param maxSeq     last log entry folded into it
     * @param files      what an open of each file reads ({@link FileExtent}); empty for segments listed by older
     *                   manifests, whose files are then opened by a fixed-size read of their ends
     */
    public record SegmentInfo(String id, int rows, int liveRows, boolean hasAnnIndex, String deletesKey, long bytes,
                              long minSeq, long maxSeq, List<FileExtent> files) {
        public SegmentInfo {
            files = List.copyOf(files);
        }

        /** The same segment with another deletion vector. */
        public SegmentInfo withDeletes(int liveRows, String deletesKey) {
            return new SegmentInfo(id, rows, liveRows, hasAnnIndex, deletesKey, bytes, minSeq, maxSeq, files);
        }
    }

    public byte[] encode() {
        BytesWriter w = Frame.begin(FORMAT, VERSION, 256 + segments.size() * 96);
        w.writeVarLong(version).writeVarLong(lastIndexedSeq).writeLong(createdAtMillis).writeLong(updatedAtMillis)
                .writeLong(publishedAtMillis);
        w.writeByte(metricSet ? 1 : 0).writeString(metric.wireName()).writeVarInt(dims);
        SchemaCodec.write(w, schema);
        IndexConfigCodec.write(w, index);
        w.writeVarInt(segments.size());
        for (SegmentInfo s : segments) {
            w.writeString(s.id()).writeVarInt(s.rows()).writeVarInt(s.liveRows()).writeByte(s.hasAnnIndex() ? 1 : 0)
                    .writeString(s.deletesKey()).writeVarLong(s.bytes()).writeVarLong(s.minSeq()).writeVarLong(s.maxSeq());
            w.writeVarInt(s.files().size());
            for (FileExtent f : s.files()) w.writeString(f.name()).writeVarLong(f.size()).writeVarLong(f.headBytes()).writeVarLong(f.endBytes());
        }
        return Frame.finish(w);
    }

    public static Manifest decode(byte[] bytes, String source) {
        Frame.Opened opened = Frame.open(bytes, source, FORMAT, 1, VERSION);
        BytesReader r = opened.body();
        long version = r.readVarLong();
        long last = r.readVarLong();
        long created = r.readLong();
        long updated = r.readLong();
        long published = r.readLong();
        boolean metricSet = r.readByte() == 1;
        DistanceMetric metric = DistanceMetric.parse(r.readString());
        int dims = r.readVarInt();
        Schema schema = SchemaCodec.read(r);
        IndexConfig index = IndexConfigCodec.read(r, opened.version() >= 2);
        int n = r.readVarInt();
        List<SegmentInfo> segs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = r.readString();
            int rows = r.readVarInt();
            int live = r.readVarInt();
            boolean ann = r.readByte() == 1;
            String deletes = r.readString();
            long size = r.readVarLong();
            long minSeq = r.readVarLong();
            long maxSeq = r.readVarLong();
            List<FileExtent> files = new ArrayList<>();
            for (int f = opened.version() >= 3 ? r.readVarInt() : 0; f > 0; f--) {
                try {
                    files.add(new FileExtent(r.readString(), r.readVarLong(), r.readVarLong(), r.readVarLong()));
                } catch (IllegalArgumentException e) {
                    throw new io.lodestone.codec.CorruptObjectException(source, e.getMessage());
                }
            }
            segs.add(new SegmentInfo(id, rows, live, ann, deletes, size, minSeq, maxSeq, files));
        }
        return new Manifest(version, last, created, updated, published, metric, metricSet, dims, schema, index, segs);
    }
}
