package io.lodestone.engine;

/**
 * Engine settings.
 *
 * @param tenantRoot          key prefix of this database's namespaces (e.g. {@code "default/"})
 * @param groupCommitWindowMs how long a commit waits to gather more writes (0: only those already queued)
 * @param maxGroupBytes       a commit group closes when its writes reach this estimated size
 * @param maxDimensions       largest vector dimension accepted
 */
public record EngineOptions(String tenantRoot, long groupCommitWindowMs, long maxGroupBytes, int maxDimensions) {

    public static EngineOptions defaults() {
        return new EngineOptions("default/", 2, 64L << 20, 10_752);
    }

    public EngineOptions {
        if (groupCommitWindowMs < 0) throw new IllegalArgumentException("groupCommitWindowMs must be >= 0; got " + groupCommitWindowMs);
        if (maxDimensions < 1) throw new IllegalArgumentException("maxDimensions must be >= 1; got " + maxDimensions);
        if (!tenantRoot.isEmpty() && !tenantRoot.endsWith("/")) tenantRoot = tenantRoot + "/";
    }
}
