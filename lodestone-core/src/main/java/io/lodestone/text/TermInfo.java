package io.lodestone.text;

/**
 * What the term dictionary stores about one term.
 *
 * @param docFreq       docs containing the term
 * @param lastDoc       the last doc of its list (for a single posting: the doc)
 * @param singletonFreq the frequency of the single posting (docFreq 1), else 0
 * @param postings      absolute offset of the posting list (docFreq ≥ 2), else -1
 * @param impacts       score bounds of the whole list ({@link Impacts}), empty for a single posting
 */
record TermInfo(int docFreq, int lastDoc, int singletonFreq, long postings, int[] impacts) {
}
