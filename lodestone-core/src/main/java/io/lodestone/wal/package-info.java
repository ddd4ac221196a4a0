/**
 * The write-ahead log: committed write batches ({@link io.lodestone.wal.WalEntry}) and their binary
 * format ({@link io.lodestone.wal.WalCodec}). A log slot is claimed with create-if-absent on its
 * numbered key, so two writers never commit the same slot. Depends on {@code doc}, {@code codec},
 * {@code vector}; knows nothing of the engine. Stateless and thread-safe.
 */
package io.lodestone.wal;
