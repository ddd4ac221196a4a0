package io.lodestone.engine;

import io.lodestone.doc.DocId;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Total order of attribute values for ranking: numbers, then strings, instants, UUIDs, booleans, arrays; null last. */
final class AttributeOrder {
    private AttributeOrder() {
    }

    static final Comparator<Object> VALUES = AttributeOrder::compare;

    @SuppressWarnings("unchecked")
    static int compare(Object a, Object b) {
        if (a == b) return 0;
        if (a == null) return 1;
        if (b == null) return -1;
        int ra = rank(a), rb = rank(b);
        if (ra != rb) return Integer.compare(ra, rb);
        return switch (a) {
            case Long x when b instanceof Long y -> Long.compare(x, y);
            case Number x -> Double.compare(x.doubleValue(), ((Number) b).doubleValue());
            case List<?> x -> compareLists(x, (List<?>) b);
            default -> ((Comparable<Object>) a).compareTo(b);
        };
    }

    private static int compareLists(List<?> a, List<?> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int rank(Object v) {
        return switch (v) {
            case Number n -> 0;
            case String s -> 1;
            case Instant t -> 2;
            case UUID u -> 3;
            case Boolean b -> 4;
            case DocId id -> 5;
            default -> 6;
        };
    }
}
