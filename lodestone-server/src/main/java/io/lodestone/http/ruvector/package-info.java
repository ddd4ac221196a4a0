/**
 * ruvector's HTTP server API ({@code ruvector-server}: {@code /collections}, {@code /collections/{name}/points...})
 * over Lodestone namespaces, so that its clients work unchanged ({@link io.lodestone.http.ruvector.RuvectorService}).
 * <p>
 * Collections are namespaces of the caller's tenant whose names start with {@code ruvector.}, with a catalog
 * namespace for their dimension and metric ({@link io.lodestone.http.ruvector.RuvectorCollections}); points keep
 * ruvector's string ids as QuartzDB's APIs map theirs ({@link io.lodestone.http.quartz.QuartzIds}), and reach the
 * engine through {@link io.lodestone.http.quartz.QuartzStore} (tenancy, quotas, the attribute value limit). Errors
 * take ruvector's {@code {"error", "status"}} shape ({@link io.lodestone.http.ruvector.RuvectorErrorShape}).
 * <p>
 * Depends on {@code http}, {@code http.quartz}, {@code tenancy} and {@code engine}; nothing depends on it but the
 * route table. Stateless and thread-safe.
 */
package io.lodestone.http.ruvector;
