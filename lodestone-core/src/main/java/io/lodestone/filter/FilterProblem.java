package io.lodestone.filter;

import io.lodestone.doc.InvalidInputException;

/**
 * A problem found while building a filter, before the parser says where it is. {@link #at(String)} turns it into
 * the user-facing {@link InvalidInputException}: {@code <problem> <where>[; <hint>]}.
 */
final class FilterProblem extends RuntimeException {

    private final String problem;
    private final String hint;

    FilterProblem(String problem) {
        this(problem, null);
    }

    FilterProblem(String problem, String hint) {
        super(problem, null, false, false);
        this.problem = problem;
        this.hint = hint;
    }

    /** The user-facing exception, with {@code where} (e.g. {@code in ["a","Eq",1]} or {@code at position 7}). */
    InvalidInputException at(String where) {
        return new InvalidInputException(problem + " " + where + (hint == null ? "" : "; " + hint), this);
    }
}
