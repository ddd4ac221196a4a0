/**
 * Full-text search: analysis, the per-segment inverted index, and BM25 top-k.
 *
 * <h2>Layers, top-down</h2>
 * <ul>
 *   <li><b>Query → Weight → Scorer.</b> A {@link io.lodestone.text.TextQuery} (distinct analyzed terms, OR-ed) is
 *       bound to index-wide {@link io.lodestone.text.Bm25Stats} (N, total tokens and each term's document frequency
 *       over every segment plus the unindexed tail) as a {@link io.lodestone.text.TextWeight}; the weight hands
 *       out a {@link io.lodestone.text.TextScorer}, over one index or over several as one doc space (each term's
 *       {@link io.lodestone.text.TermPostings} in every index walked as one list), which feeds a
 *       {@link io.lodestone.text.TopKCollector} with block-max MaxScore (or exhaustively, for small tails).
 *       Because the statistics are index-wide, results do not change when indexing moves docs from the tail into
 *       segments. {@link io.lodestone.text.Bm25Scorer} is the BM25 formula of one term, identical in float to
 *       Lucene 10's {@code BM25Similarity} (no (k1+1) factor; lengths through the one-byte
 *       {@link io.lodestone.text.LengthNorm}), and explains its scores.</li>
 *   <li><b>Index.</b> {@link io.lodestone.text.InvertedIndexBuilder} (in memory; also the tail's index) →
 *       {@link io.lodestone.text.InvertedIndexWriter} (bytes) → {@link io.lodestone.text.InvertedIndexReader}
 *       (in place over a {@code MemorySegment}); both kinds are an {@link io.lodestone.text.InvertedIndex}.</li>
 *   <li><b>Analysis.</b> {@link io.lodestone.text.TextAnalyzers} turns {@code FullTextOptions} into a
 *       {@link io.lodestone.text.TextAnalyzer} built from Lucene's analysis modules (Lucene is used for analysis
 *       only), and gives the filters' {@code TokenAnalyzer} for a schema.</li>
 * </ul>
 *
 * <h2>Serialized layout, version 1</h2>
 * All integers little-endian; "varint" is unsigned LEB128. The segment layer frames these bytes (header, footer,
 * CRC32C); this layout has its own magic and version so that the reader can refuse what it does not know.
 * <pre>
 * header (72 bytes)
 *   int32 magic 0x5854444C ("LDTX")    int32 version = 1
 *   int32 maxDoc                        int32 docCount (docs with ≥ 1 token)
 *   int64 sumTotalTermFreq              int32 termCount       int32 groupCount = ceil(termCount / 16)
 *   int64 normsOffset (= 72)            int64 groupsOffset    int64 dictOffset    int64 postingsOffset
 *   int64 totalLength (these bytes, padding included)
 * norms        maxDoc bytes: the {@code LengthNorm} code of each doc's token count (0: no tokens)
 * groups       groupCount × {int64 entries offset (from dictOffset), int64 postings base (from postingsOffset)}
 * dictionary   terms sorted by unsigned UTF-8 bytes, 16 per group; per term:
 *                varint prefix (bytes shared with the previous term of the group; 0 for a group's first)
 *                varint suffixLength, suffix bytes, varint docFreq, then
 *                docFreq = 1: varint doc, varint freq                       (the posting is inlined)
 *                docFreq ≥ 2: varint postings delta (from the previous such term of the group, or the group's
 *                             base), varint lastDoc, impacts of the whole list
 * postings     per term with docFreq ≥ 2, blocks of 128 postings (the last one may be shorter):
 *                if more than one block: skip table, blocks × {int32 lastDoc, int32 end of block (from the
 *                end of the skip table)}
 *                each block: byte docBits, byte freqBits, the (doc − previous doc − 1) values bit-packed LSB
 *                first in docBits bits each (the previous doc of the first block is −1), then (freq − 1)
 *                bit-packed in freqBits bits, each run padded to a byte; if more than one block, the block's
 *                impacts follow
 * padding      8 zero bytes, so that 8-byte unaligned loads of packed values never run past the end
 * impacts      byte n (1..4), n × {varint freq, byte norm code}: (freq, length) pairs that bound every
 *              posting's BM25 score whatever the statistics (codes and freqs ascending)
 * </pre>
 * Opening checks the header, that each section lies where the header says, and that the last term group ends
 * where the postings start; {@code checkIntegrity()} decodes everything.
 *
 * <h2>History</h2>
 * Version 1: first format.
 *
 * <h2>Rules</h2>
 * Depends on {@code io.lodestone.doc}, {@code io.lodestone.filter} (the {@code TokenAnalyzer} it implements),
 * {@code io.lodestone.codec} (the corruption exception) and Lucene's analysis; must not import storage, engine or
 * HTTP packages. Readers, weights and analyzers are immutable and thread-safe; builders, scorers, cursors and
 * collectors belong to one thread.
 */
package io.lodestone.text;
