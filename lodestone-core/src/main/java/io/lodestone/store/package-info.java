/**
 * Object storage, Lodestone's only stateful dependency: the {@link io.lodestone.store.ObjectStore}
 * contract (ranged get, put, put-if-absent, ordered list with start-after, delete) and its
 * backends: {@link io.lodestone.store.LocalObjectStore} (files under a directory, the default),
 * {@link io.lodestone.store.S3ObjectStore} (any S3-compatible bucket) and
 * {@link io.lodestone.store.MemoryObjectStore} (tests, embedded use), opened from
 * {@link io.lodestone.store.StorageOptions} by {@link io.lodestone.store.ObjectStores#open}.
 *
 * <p>All coordination in Lodestone is create-if-absent of numbered keys
 * ({@link io.lodestone.store.ObjectStore#putIfAbsent}); every backend makes it atomic (a hard link
 * on disk, {@code If-None-Match: *} on S3, {@code ConcurrentSkipListMap.putIfAbsent} in memory) and
 * durable when it returns. Every backend enforces the same key rules (printable ASCII, no empty,
 * {@code "."} or {@code ".."} segments, no backslash), so a key valid on one is valid on all and
 * no key escapes a local root.
 *
 * <p>Thread-safety: every store is safe for concurrent use by any number of threads; a local root
 * may also be shared by several processes.
 *
 * <p>Dependencies: the JDK and the AWS SDK only; nothing here imports another Lodestone package,
 * and every other layer reaches storage through this one.
 */
package io.lodestone.store;
