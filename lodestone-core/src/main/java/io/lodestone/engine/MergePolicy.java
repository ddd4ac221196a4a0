package io.lodestone.engine;

import io.lodestone.segment.Manifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which segments to merge: a pure function of segment metadata. When a namespace has more than
 * {@code maxSegments} segments, the smallest ones (by live rows) are merged into one, enough of them
 * to bring the count down to half the limit; a segment more than half dead is merged too.
 */
final class MergePolicy {
    private MergePolicy() {
    }

    static List<String> select(List<Manifest.SegmentInfo> segments, int maxSegments) {
        List<Manifest.SegmentInfo> bySize = new ArrayList<>(segments);
        bySize.sort(Comparator.comparingInt(Manifest.SegmentInfo::liveRows).thenComparing(Manifest.SegmentInfo::id));
        List<String> chosen = new ArrayList<>();
        if (segments.size() > maxSegments) {
            int take = segments.size() - Math.max(1, maxSegments / 2) + 1;
            for (int i = 0; i < take; i++) chosen.add(bySize.get(i).id());
        }
        for (Manifest.SegmentInfo s : segments) {
            if (!chosen.contains(s.id()) && s.rows() > 0 && s.liveRows() * 2 < s.rows()) chosen.add(s.id());
        }
        return chosen.size() >= 2 || (chosen.size() == 1 && mostlyDead(segments, chosen.getFirst())) ? chosen : List.of();
    }

    private static boolean mostlyDead(List<Manifest.SegmentInfo> segments, String id) {
        return segments.stream().anyMatch(s -> s.id().equals(id) && s.liveRows() * 2 < s.rows());
    }
}
