/**
 * The server's configuration: {@code config.toml} plus {@code LODESTONE_<SECTION>_<KEY>} environment overrides,
 * bound to immutable records, one per section, gathered in {@link io.lodestone.config.LodestoneConfig}.
 *
 * <p>{@link io.lodestone.config.ConfigLoader} is the only way in from outside: it finds and parses the file,
 * applies the environment, checks every value and reports every problem at once in a
 * {@link io.lodestone.config.ConfigException}. The records hold checked values with their units resolved
 * (sizes in bytes, {@link java.time.Duration}s, {@link java.nio.file.Path}s); every key and its default is
 * documented on its record and in {@code docs/configuration.md}.
 *
 * <p>Depends on Jackson's TOML reader and nothing of Lodestone's; every other server package may depend on it.
 * The records are immutable and safe to share between threads; loading has no side effects beyond reading the file.
 */
package io.lodestone.config;
