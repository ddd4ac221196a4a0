package io.lodestone.text;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.FullTextOptions;
import io.lodestone.doc.Schema;
import io.lodestone.filter.TokenAnalyzer;

import java.util.List;

/**
 * The filters' {@link TokenAnalyzer} for a namespace schema: an attribute with {@code full_text_search} options is
 * tokenized exactly as its BM25 index is; any other attribute with the default options
 * ({@link FullTextOptions#defaults()}). Equal schemas give equal analyzers. Thread-safe.
 */
record SchemaTokenAnalyzer(Schema schema) implements TokenAnalyzer {

    @Override
    public List<String> tokens(String attribute, String text) {
        AttributeSchema a = schema.get(attribute);
        FullTextOptions options = a == null || a.fullTextSearch() == null ? FullTextOptions.defaults() : a.fullTextSearch();
        return TextAnalyzers.forOptions(options).tokens(text);
    }
}
