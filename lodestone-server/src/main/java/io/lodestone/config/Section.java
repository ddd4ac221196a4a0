package io.lodestone.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The settings of one table of the configuration ({@code [server]}, {@code [regions.eu]}), read by type.
 *
 * <p>Each typed read declares a known key: it returns the value from the file or the environment, or the
 * default when the key is absent. A value of the wrong type or out of range is recorded as a problem and the
 * default is returned, so that one load reports every problem. {@link #finish()} then reports the keys that no
 * read asked for. Values from the environment are strings and are converted to the type the read asks for.
 */
final class Section {

    /** One value and where it came from: a file path, or the name of an environment variable. */
    record Setting(JsonNode value, String source, boolean fromEnv) {

        static Setting ofEnv(String variable, String text) {
            return new Setting(TextNode.valueOf(text), variable, true);
        }

        String text() {
            return value.asText();
        }

        /** The value as the user wrote it, strings quoted, cut short if long. */
        String display() {
            String s = value.toString();
            return s.length() <= 80 ? s : s.substring(0, 77) + "...";
        }
    }

    private static final String SIZE_SYNTAX = "a size in bytes (an integer, or a string such as \"64MiB\")";

    private final String name;
    private final String origin;
    private final Map<String, Setting> settings;
    private final List<String> problems;
    private final List<String> known = new ArrayList<>();

    /**
     * @param name     the table's name as written in TOML, without brackets: {@code server}, {@code regions.eu}
     * @param origin   the file that defines this table, or null when only defaults and the environment do
     * @param settings the values by key, file order, environment overrides applied
     * @param problems where problems are added
     */
    Section(String name, String origin, Map<String, Setting> settings, List<String> problems) {
        this.name = name;
        this.origin = origin;
        this.settings = new LinkedHashMap<>(settings);
        this.problems = problems;
    }

    /** The table's name as written in TOML: {@code storage}, {@code regions.eu}. */
    String name() {
        return name;
    }

    /** Whether the file or the environment gives {@code key} (does not declare it known). */
    boolean has(String key) {
        return settings.containsKey(key);
    }

    /**
     * The keys {@code binder} reads, in the order it reads them: it is run over an empty table whose problems are
     * dropped. Lets a list of keys (for environment variables) follow the binder instead of repeating it.
     */
    static List<String> keysRead(java.util.function.Consumer<Section> binder) {
        Section empty = new Section("", null, Map.of(), new ArrayList<>());
        binder.accept(empty);
        return List.copyOf(empty.known);
    }

    String string(String key, String defaultValue) {
        Setting s = lookup(key);
        if (s == null) {
            return defaultValue;
        }
        if (!s.value().isTextual()) {
            return invalid(s, key, "must be a string", defaultValue);
        }
        return s.text();
    }

    String nonBlankString(String key, String defaultValue) {
        String value = string(key, defaultValue);
        if (value.isBlank()) {
            return invalid(settings.get(key), key, "must not be empty", defaultValue);
        }
        return value;
    }

    /** An optional string; an empty string means unset. */
    Optional<String> optionalString(String key) {
        return Optional.of(string(key, "")).filter(v -> !v.isBlank());
    }

    int integer(String key, int defaultValue, int min, int max) {
        return (int) longInteger(key, defaultValue, min, max);
    }

    long longInteger(String key, long defaultValue, long min, long max) {
        Setting s = lookup(key);
        if (s == null) {
            return defaultValue;
        }
        JsonNode v = s.value();
        if (s.fromEnv()) {
            try {
                return inRange(s, key, Long.parseLong(s.text().strip()), min, max, defaultValue);
            } catch (NumberFormatException e) {
                return invalid(s, key, isInteger(s.text().strip()) ? range(min, max) : "must be an integer",
                        defaultValue);
            }
        }
        if (!v.isIntegralNumber()) {
            return invalid(s, key, "must be an integer", defaultValue);
        }
        if (!v.canConvertToLong()) {
            return invalid(s, key, range(min, max), defaultValue);
        }
        return inRange(s, key, v.longValue(), min, max, defaultValue);
    }

    /** A number (integer or decimal) greater than {@code exclusiveMin} and at most {@code max}. */
    double decimal(String key, double defaultValue, double exclusiveMin, double max) {
        Setting s = lookup(key);
        if (s == null) {
            return defaultValue;
        }
        String expected = "must be a number in (" + exclusiveMin + ", " + max + "]";
        double v;
        if (s.fromEnv()) {
            try {
                v = Double.parseDouble(s.text().strip());
            } catch (NumberFormatException e) {
                return invalid(s, key, expected, defaultValue);
            }
        } else if (s.value().isNumber()) {
            v = s.value().doubleValue();
        } else {
            return invalid(s, key, expected, defaultValue);
        }
        return v > exclusiveMin && v <= max ? v : invalid(s, key, expected, defaultValue);
    }

    /** A size in bytes: an integer, or a string {@link ByteSize} understands. */
    long size(String key, long defaultValue, long min) {
        Setting s = lookup(key);
        if (s == null) {
            return defaultValue;
        }
        JsonNode v = s.value();
        long bytes;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            bytes = v.longValue();
        } else if (v.isTextual()) {
            try {
                bytes = ByteSize.parse(v.asText());
            } catch (IllegalArgumentException e) {
                return invalid(s, key, "must be " + SIZE_SYNTAX, defaultValue);
            }
        } else {
            return invalid(s, key, "must be " + SIZE_SYNTAX, defaultValue);
        }
        return inRange(s, key, bytes, min, Long.MAX_VALUE, defaultValue);
    }

    boolean bool(String key, boolean defaultValue) {
        Setting s = lookup(key);
        if (s == null) {
            return defaultValue;
        }
        if (s.fromEnv()) {
            return switch (s.text().strip().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> invalid(s, key, "must be true or false", defaultValue);
            };
        }
        if (!s.value().isBoolean()) {
            return invalid(s, key, "must be true or false", defaultValue);
        }
        return s.value().booleanValue();
    }

    /** An array of non-empty strings; from the environment, a comma-separated list. */
    List<String> strings(String key, List<String> defaultValue) {
        Setting s = lookup(key);
        if (s == null) {
            return defaultValue;
        }
        List<String> values = new ArrayList<>();
        if (s.fromEnv()) {
            for (String part : s.text().split(",")) {
                if (!part.isBlank()) {
                    values.add(part.strip());
                }
            }
            return List.copyOf(values);
        }
        if (!s.value().isArray()) {
            return invalid(s, key, "must be an array of strings", defaultValue);
        }
        for (JsonNode element : s.value()) {
            if (!element.isTextual() || element.asText().isBlank()) {
                return invalid(s, key, "must be an array of non-empty strings", defaultValue);
            }
            values.add(element.asText());
        }
        return List.copyOf(values);
    }

    /** One of the constants of {@code type}, written in lower case. */
    <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
        String text = string(key, defaultValue.name().toLowerCase(Locale.ROOT));
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(text)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .map(c -> "\"" + c.name().toLowerCase(Locale.ROOT) + "\"")
                .collect(Collectors.joining(", "));
        return invalid(settings.get(key), key, "must be one of " + allowed, defaultValue);
    }

    Path path(String key, Path defaultValue) {
        String text = nonBlankString(key, defaultValue.toString());
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            return invalid(settings.get(key), key, "must be a file system path", defaultValue);
        }
    }

    /** Records a problem that involves {@code key} but no single value of the wrong form. */
    void problem(String key, String text) {
        Setting s = settings.get(key);
        String source = s != null ? s.source() : origin;
        problems.add((source == null ? "" : source + ": ") + name + "." + key + " " + text);
    }

    /** Records a problem with the table as a whole (its name, its place among the others). */
    void tableProblem(String text) {
        String source = origin != null ? origin
                : settings.values().stream().map(Setting::source).findFirst().orElse(null);
        problems.add((source == null ? "" : source + ": ") + "[" + name + "] " + text);
    }

    /** Reports every key that was given but that no read asked for. */
    void finish() {
        settings.forEach((key, s) -> {
            if (!known.contains(key)) {
                problems.add(s.source() + ": unknown key '" + key + "' in [" + name + "]; known keys: "
                        + String.join(", ", known));
            }
        });
    }

    private Setting lookup(String key) {
        known.add(key);
        return settings.get(key);
    }

    private long inRange(Setting s, String key, long value, long min, long max, long defaultValue) {
        return value >= min && value <= max ? value : invalid(s, key, range(min, max), defaultValue);
    }

    private <T> T invalid(Setting s, String key, String expected, T defaultValue) {
        problems.add(s.source() + ": " + name + "." + key + " " + expected + "; got " + s.display());
        return defaultValue;
    }

    private static String range(long min, long max) {
        boolean unbounded = max == Long.MAX_VALUE || max == Integer.MAX_VALUE;
        return unbounded ? "must be at least " + min : "must be in [" + min + ", " + max + "]";
    }

    private static boolean isInteger(String text) {
        return text.matches("[+-]?\\d+");
    }
}
