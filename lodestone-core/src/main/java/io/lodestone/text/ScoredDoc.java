package io.lodestone.text;

/**
 * One hit: a doc ordinal (plus the collector's doc base) and its BM25 score.
 *
 * @param doc   the doc ordinal, offset by the collector's doc base
 * @param score the score
 */
public record ScoredDoc(int doc, float score) {
}
