package io.lodestone.text;

import com.ibm.icu.util.BytesTrie;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * ICU's Thai word list (the dictionary its Thai break iterator segments with), read from icu4j's own data file so
 * that compounds can be split into the same dictionary words. The file is ICU's {@code brkitr/thaidict.dict}:
 * an ICU data header, eight int32 indexes (trie offset, reserved, reserved, total size, trie type, transform, …),
 * then a {@link BytesTrie} whose bytes are Thai chars minus the transform's offset (U+0E00). icu4j only exposes
 * it through package-private classes, so it is parsed here; the version is pinned with lucene-analysis-icu.
 * Immutable and thread-safe.
 */
final class ThaiDictionary {

    private static final String RESOURCE = "/com/ibm/icu/impl/data/icudata/brkitr/thaidict.dict";
    private static final int INDEX_COUNT = 8;
    private static final int TRIE_TYPE_BYTES = 0;
    private static final int TRANSFORM_TYPE_OFFSET = 0x1000000;

    /** Loaded on first use: the analysis of other languages never pays for it. */
    private static final class Holder {
        static final ThaiDictionary INSTANCE = load();
    }

    private final byte[] trie;
    private final int charOffset;

    private ThaiDictionary(byte[] trie, int charOffset) {
        this.trie = trie;
        this.charOffset = charOffset;
    }

    static ThaiDictionary get() {
        return Holder.INSTANCE;
    }

    /**
     * Writes to {@code lengths} the lengths of the dictionary words that start at {@code start} and end at or before
     * {@code end}, shortest first; returns how many (at most {@code lengths.length}).
     */
    int wordsAt(char[] text, int start, int end, int[] lengths) {
        BytesTrie.Result r = BytesTrie.Result.NO_VALUE;
        BytesTrie t = new BytesTrie(trie, 0);
        int count = 0;
        for (int i = start; i < end && count < lengths.length; i++) {
            int b = text[i] - charOffset;
            if (b < 0 || b > 0xFD) break; // not a Thai char (ICU's transform maps only 0xFE of them)
            r = i == start ? t.first(b) : t.next(b);
            if (r.hasValue()) lengths[count++] = i + 1 - start;
            if (!r.hasNext()) break;
        }
        return count;
    }

    private static ThaiDictionary load() {
        try (InputStream in = ThaiDictionary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("icu4j's Thai dictionary " + RESOURCE + " is missing");
            ByteBuffer data = ByteBuffer.wrap(in.readAllBytes()); // ICU4J data files are big-endian
            int headerSize = data.getChar(0);
            if ((data.get(2) & 0xff) != 0xda || data.get(3) != 0x27) {
                throw new IllegalStateException(RESOURCE + " is not an ICU data file");
            }
            int[] index = new int[INDEX_COUNT];
            for (int i = 0; i < INDEX_COUNT; i++) index[i] = data.getInt(headerSize + 4 * i);
            int transform = index[5];
            if ((index[4] & 7) != TRIE_TYPE_BYTES || (transform & 0x7f000000) != TRANSFORM_TYPE_OFFSET) {
                throw new IllegalStateException(RESOURCE + ": unexpected trie type " + index[4] + " or transform " + transform);
            }
            byte[] trie = Arrays.copyOfRange(data.array(), headerSize + index[0], headerSize + index[3]);
            return new ThaiDictionary(trie, transform & 0x1fffff);
        } catch (IOException e) {
            throw new UncheckedIOException("reading icu4j's Thai dictionary", e);
        }
    }
}
