/**
 * QuartzDB's HTTP APIs over Lodestone namespaces, so that QuartzDB's clients and scripts work unchanged: the
 * Cloudflare Worker API ({@code /api/put}, {@code /api/vector/...}; {@link io.lodestone.http.quartz.QuartzWorkerService})
 * and the older native server's {@code /api/v1/...} ({@link io.lodestone.http.quartz.QuartzV1Service}).
 * <p>
 * Everything lives in namespaces of the caller's tenant whose names start with {@code quartzdb.}
 * ({@link io.lodestone.http.quartz.QuartzStore}): the key-value store, the Worker's vector collection, the v1 index
 * catalog and one namespace per v1 index. Every request passes the tenancy filter and reaches namespaces only
 * through {@link io.lodestone.tenancy.Tenancy}, so durability, indexes, quotas and multi-server correctness are
 * the engine's. Errors take QuartzDB's shapes ({@link io.lodestone.http.quartz.QuartzErrorShapes}).
 * <p>
 * Depends on {@code http}, {@code tenancy} and {@code engine}; nothing depends on it but the route table. Services
 * are stateless apart from the id blocks a server has claimed ({@link io.lodestone.http.quartz.IdBlocks}), and thread-safe.
 */
package io.lodestone.http.quartz;
