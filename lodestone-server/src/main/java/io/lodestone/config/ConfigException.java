package io.lodestone.config;

import java.util.List;

/**
 * The configuration cannot be used: the file is missing or not TOML, or a section, key or value is wrong.
 * The message names the source (file or environment variable), the key, what was expected and what was given.
 * When several things are wrong, all of them are reported at once.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public ConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem found, one line each, in the order they were found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        if (problems.size() == 1) {
            return problems.getFirst();
        }
        return problems.size() + " configuration problems:\n- " + String.join("\n- ", problems);
    }
}
