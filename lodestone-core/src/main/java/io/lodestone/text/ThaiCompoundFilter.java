package io.lodestone.text;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Indexes the dictionary words inside Thai compounds. A dictionary tokenizer keeps a compound it knows as one
 * token ({@code โรงเรียนประจำ}, boarding school), so a search for one of its words ({@code โรงเรียน}, school)
 * would not find it. After each Thai token this filter adds, at the same position, the words of the token's
 * split into the fewest {@link ThaiDictionary} words of at least {@link #MIN_PART} chars (ties: longest first
 * word); a token that cannot be split wholly into such words gets nothing added, and parts are not split again.
 * Documents and queries go through the same filter, so a query word matches the compounds that contain it, and a
 * document that holds the query's exact compound still matches more of the query's terms than one with a part.
 */
final class ThaiCompoundFilter extends TokenFilter {

    /**
     * Shortest part, in chars (marks included). Two-char words are mostly single syllables (นา, ชา, ดำ) that would
     * match far too much when split out of words such as ชาติ or ดำเนิน.
     */
    static final int MIN_PART = 3;
    /** Longer tokens are left whole (bounds the work per token; real Thai words are far shorter). */
    static final int MAX_TOKEN = 64;

    private static final int NONE = Integer.MAX_VALUE;

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);
    private final ThaiDictionary dictionary = ThaiDictionary.get();
    private final ArrayDeque<int[]> parts = new ArrayDeque<>(); // {start, end} within the token
    private final int[] lengths = new int[32];
    private char[] token = new char[MAX_TOKEN];
    private State compound;
    private int compoundStart;

    ThaiCompoundFilter(TokenStream input) {
        super(input);
    }

    @Override
    public boolean incrementToken() throws java.io.IOException {
        if (!parts.isEmpty()) {
            int[] p = parts.poll();
            restoreState(compound);
            term.copyBuffer(token, p[0], p[1] - p[0]);
            offset.setOffset(Math.min(compoundStart + p[0], offset.endOffset()), Math.min(compoundStart + p[1], offset.endOffset()));
            position.setPositionIncrement(0);
            return true;
        }
        if (!input.incrementToken()) return false;
        int n = term.length();
        if (n >= 2 * MIN_PART && n <= MAX_TOKEN && isThai(term.charAt(0))) {
            System.arraycopy(term.buffer(), 0, token, 0, n);
            split(0, n);
            if (!parts.isEmpty()) {
                compound = captureState();
                compoundStart = offset.startOffset();
            }
        }
        return true;
    }

    @Override
    public void reset() throws java.io.IOException {
        super.reset();
        parts.clear();
        compound = null;
    }

    /** Queues the parts of token[from, to). */
    private void split(int from, int to) {
        int[] cuts = fewestWords(from, to);
        if (cuts == null) return;
        for (int i = 0; i + 1 < cuts.length; i++) parts.add(new int[] {cuts[i], cuts[i + 1]});
    }

    /**
     * The boundaries of token[from, to) split into the fewest (at least two) dictionary words of at least
     * {@link #MIN_PART} chars, or null when there is no such split. Dynamic programming from the end.
     */
    private int[] fewestWords(int from, int to) {
        int n = to - from;
        int[] words = new int[n + 1]; // fewest words for token[from + i, to)
        int[] next = new int[n + 1];  // the first word's length in that split
        Arrays.fill(words, NONE);
        words[n] = 0;
        for (int i = n - 1; i >= 0; i--) {
            int found = dictionary.wordsAt(token, from + i, to, lengths);
            for (int k = found - 1; k >= 0; k--) { // longest first, so ties keep the longest
                int len = lengths[k];
                if (len < MIN_PART || (i == 0 && len == n) || words[i + len] == NONE) continue;
                if (words[i + len] + 1 < words[i]) {
                    words[i] = words[i + len] + 1;
                    next[i] = len;
                }
            }
        }
        if (words[0] == NONE) return null;
        int[] cuts = new int[words[0] + 1];
        cuts[0] = from;
        for (int w = 1, i = 0; w < cuts.length; w++) {
            i += next[i];
            cuts[w] = from + i;
        }
        return cuts;
    }

    private static boolean isThai(char c) {
        return c >= '\u0E01' && c <= '\u0E5B';
    }
}
