package io.lodestone.engine;

import java.util.Comparator;

/**
 * A row of some source with its ranking score: the unit results are merged in. For distances lower is
 * better; text and fused scores are stored negated so that one ascending order serves all.
 */
record Hit(DocSource source, int row, float score) {
    static final Comparator<Hit> BY_SCORE_THEN_ID =
            Comparator.comparingDouble(Hit::score).thenComparing(h -> h.source().id(h.row()));
}
