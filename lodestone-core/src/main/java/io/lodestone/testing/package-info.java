/**
 * A real S3 server and a proxy in front of it, for tests and benchmarks that exercise the S3 store on a
 * real wire: {@link io.lodestone.testing.S3ProxyServer} runs S3Proxy as a child process on loopback, and
 * {@link io.lodestone.testing.FaultProxy} adds latency and faults and counts requests, bytes and sequential
 * round trips. Used by the tests of every module and by {@code lodestone bench cold}; the engine never
 * imports it. Depends on {@code store} (for {@link io.lodestone.store.StorageOptions}) only.
 */
package io.lodestone.testing;
