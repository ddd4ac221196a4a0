/**
 * The engine: namespaces, group commit, the materialized state, and query execution.
 * {@link io.lodestone.engine.Lodestone} is the embedded entry point. Depends on {@code store},
 * {@code wal}, {@code filter}, {@code vector}, {@code doc}, {@code codec}; never on HTTP.
 */
package io.lodestone.engine;
