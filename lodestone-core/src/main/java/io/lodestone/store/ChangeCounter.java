package io.lodestone.store;

/**
 * A number that grows whenever an object of a store is created, replaced or deleted, by any process
 * sharing the store, before the call that made the change returns; read without I/O.
 *
 * <p>What it is for: a reader that read value {@code v} just before it looked at the store, and reads
 * {@code v} again later, knows that no object changed in between, so it need not look again. Every
 * change increments the counter after the object is published, and the counter never goes back.
 */
public interface ChangeCounter {
    /** The current value (a memory read). */
    long current();
}
