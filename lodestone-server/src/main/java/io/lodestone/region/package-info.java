/**
 * Regions: the named storage targets one server serves ({@code [storage]} is the region {@code default},
 * {@code [regions.NAME]} the others). {@link io.lodestone.region.Regions} opens one engine per region, all on one
 * query scheduler; {@link io.lodestone.region.CacheShare} divides the cache between them;
 * {@link io.lodestone.region.Placement} records which region holds each namespace.
 */
package io.lodestone.region;
