/**
 * Byte-level encoding shared by every persisted format: {@link io.lodestone.codec.Frame} (header,
 * footer, CRC32C) and the little-endian {@link io.lodestone.codec.BytesWriter}/{@link io.lodestone.codec.BytesReader}.
 * Depends on nothing of Lodestone's.
 */
package io.lodestone.codec;
