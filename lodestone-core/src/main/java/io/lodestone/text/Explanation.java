package io.lodestone.text;

import java.util.List;
import java.util.Locale;

/**
 * How a score was computed: a value, what it is, and the values it came from.
 *
 * @param value       the value
 * @param description what the value is
 * @param details     the values it was computed from
 */
public record Explanation(float value, String description, List<Explanation> details) {

    public Explanation {
        details = List.copyOf(details);
    }

    /** A value with its inputs. */
    public static Explanation of(float value, String description, Explanation... details) {
        return new Explanation(value, description, List.of(details));
    }

    /** Indented, one value per line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb, 0);
        return sb.toString();
    }

    private void append(StringBuilder sb, int depth) {
        sb.append("  ".repeat(depth)).append(String.format(Locale.ROOT, "%s = %s%n", value, description));
        for (Explanation d : details) d.append(sb, depth + 1);
    }
}
