package io.lodestone.config;

import java.time.Duration;

/**
 * {@code [compactor]}: background merging of small segments.
 *
 * @param enabled  {@code enabled}: run the compactor on this server; default true
 * @param interval {@code interval_seconds}: time between compaction passes; default 60 s
 */
public record CompactorConfig(boolean enabled, Duration interval) {

    public static CompactorConfig defaults() {
        return new CompactorConfig(true, Duration.ofSeconds(60));
    }

    static CompactorConfig bind(Section s) {
        CompactorConfig d = defaults();
        return new CompactorConfig(
                s.bool("enabled", d.enabled()),
                Duration.ofSeconds(s.longInteger("interval_seconds", d.interval().toSeconds(), 1, 604_800)));
    }
}
