package io.lodestone.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds the {@code [regions.NAME]} tables: each is a whole storage target with the keys of {@code [storage]}
 * (which is itself the region named {@value LodestoneConfig#DEFAULT_REGION}). Refuses bad names, a table for the
 * default region, a table without {@code backend}, and a target whose root is, contains or lies inside the root
 * of {@code [storage]} or of an earlier region.
 */
final class RegionTargets {
    private static final Pattern NAME = LodestoneConfig.REGION_NAME;

    private final Map<String, StorageConfig> regions = new LinkedHashMap<>();
    private final Map<String, StorageRoot> roots = new LinkedHashMap<>();

    /** @param storage {@code [storage]}, the default region */
    RegionTargets(StorageConfig storage) {
        StorageRoot.of(storage).ifPresent(root -> roots.put("[storage]", root));
    }

    /** Binds the table {@code section} of the region {@code name}, recording what is wrong with it. */
    void add(String name, Section section) {
        if (!NAME.matcher(name).matches()) {
            section.tableProblem("region name '" + name + "' must match " + NAME.pattern()
                    + " (lower case letters, digits and '-', at most 32)");
        } else if (name.equals(LodestoneConfig.DEFAULT_REGION)) {
            section.tableProblem("clashes with [storage], which is the region named '" + LodestoneConfig.DEFAULT_REGION
                    + "'; configure it there");
        }
        // Without this a region would default to ./data, the default region's own directory.
        if (!section.has("backend")) {
            section.problem("backend", "is required in a region (\"local\" or \"s3\")");
        }
        StorageConfig storage = StorageConfig.bind(section);
        Optional<StorageRoot> root = StorageRoot.of(storage);
        root.ifPresent(r -> roots.forEach((other, otherRoot) -> {
            if (r.overlaps(otherRoot)) {
                section.problem(r.key(), "places the region in " + r.describe() + ", which shares objects with "
                        + other + " (" + otherRoot.describe() + "): two engines over one root would each serve, "
                        + "cache and count the same namespaces; give each region a root of its own");
            }
        }));
        root.ifPresent(r -> roots.put("[" + section.name() + "]", r));
        regions.put(name, storage);
    }

    /** The regions bound so far, in order. */
    Map<String, StorageConfig> regions() {
        return regions;
    }
}
