package io.lodestone.text;

/**
 * {@code tokenizer: pre_tokenized_array}: the client tokenized already, so each value of the {@code []string}
 * attribute is one token, taken as is (no case folding, stop words or stemming). Empty values are no token.
 */
final class PreTokenizedAnalyzer implements TextAnalyzer {

    static final PreTokenizedAnalyzer INSTANCE = new PreTokenizedAnalyzer();

    private PreTokenizedAnalyzer() {
    }

    @Override
    public void analyze(String text, TokenSink sink) {
        if (text.isEmpty()) return;
        sink.token(text.toCharArray(), text.length());
    }

    @Override
    public String toString() {
        return "TextAnalyzer[pre_tokenized_array]";
    }
}
