/**
 * Filters: which documents a query, delete or patch applies to.
 *
 * <p>A {@link io.lodestone.filter.Filter} is an immutable tree of {@code And}, {@code Or}, {@code Not} and
 * {@code Condition} nodes that tests an {@link io.lodestone.doc.AttributeSource}. Trees come from turbopuffer's
 * JSON tuple form ({@link io.lodestone.filter.FilterParser}) or a SQL-like text form
 * ({@link io.lodestone.filter.SqlFilterParser}); both check operators against the namespace
 * {@link io.lodestone.doc.Schema} and convert literals to the attribute types once, at parse time (datetimes to
 * {@code Instant}, UUIDs, numbers, compiled globs and regexes, tokenized queries), so matching does no parsing.
 * {@link io.lodestone.filter.Filter#toJson()} writes the canonical JSON form, which parses back to an equal tree,
 * so filters can be stored. The operator semantics (missing attributes, arrays, Regex, tokens) are documented on
 * {@link io.lodestone.filter.FilterParser}.
 *
 * <p>Full-text token operators tokenize through a pluggable {@link io.lodestone.filter.TokenAnalyzer}; the
 * default lower-cases and splits on non-alphanumerics until the text package supplies per-attribute analyzers.
 *
 * <p>Depends only on {@code io.lodestone.doc} and Jackson; it must not import storage, index or HTTP packages.
 * Evaluation here is a per-document check; index-accelerated filtering belongs to the index packages, which may
 * walk the tree. Bad input raises {@link io.lodestone.doc.InvalidInputException} with a message that names the
 * problem and where it is.
 *
 * <p>Thread-safety: trees and everything in them are immutable and safe to share; the parsers keep no state
 * between calls.
 */
package io.lodestone.filter;
