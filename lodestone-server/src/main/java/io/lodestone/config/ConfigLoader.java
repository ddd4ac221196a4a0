package io.lodestone.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads {@code config.toml}, applies {@code LODESTONE_<SECTION>_<KEY>} environment overrides and binds the result to
 * a {@link LodestoneConfig}. See {@code docs/configuration.md} for every key.
 *
 * <ol>
 *   <li>Find the file: the given path; else the file named by {@code LODESTONE_CONFIG}; else {@code ./config.toml}
 *       if it exists; else none, and every key takes its default. A named file that does not exist is an error.
 *   <li>Parse it as TOML into a tree and sort its values by section and key.
 *   <li>Overlay the environment: {@code LODESTONE_SERVER_PORT=9090} sets {@code port} in {@code [server]},
 *       {@code LODESTONE_REGIONS_EU_BUCKET=b} sets {@code bucket} in {@code [regions.eu]}. Variables whose
 *       section part names no section ({@code LODESTONE_CONFIG}, {@code LODESTONE_JAVA_OPTS}) are left alone;
 *       empty values are ignored.
 *   <li>Bind each section, converting environment strings to each key's type, and collect every problem:
 *       unknown sections and keys, wrong types, values out of range. Any problem fails the load with a
 *       {@link ConfigException} that lists them all.
 * </ol>
 */
public final class ConfigLoader {

    /** Environment variable naming the configuration file. */
    public static final String CONFIG_FILE_ENV = "LODESTONE_CONFIG";

    /** Prefix of every environment override. */
    public static final String ENV_PREFIX = "LODESTONE_";

    private static final String REGIONS = "regions";
    private static final List<String> SECTIONS = List.of(
            "server", "limits", "batching", "indexing", "storage", "cache", "compactor", "auth", "tls", "cors", REGIONS);
    /** The keys of a region: those of {@code [storage]}. */
    private static final List<String> REGION_KEYS = Section.keysRead(StorageConfig::bind);
    /** The same, longest first (see {@link #overlayRegion}). */
    private static final List<String> REGION_KEYS_LONGEST_FIRST = REGION_KEYS.stream()
            .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();

    private ConfigLoader() {
    }

    /**
     * Loads the configuration.
     *
     * @param fileOrNull the file to read, or null to look for one (see the class comment)
     * @param env        the environment, usually {@link System#getenv()}
     * @throws ConfigException naming everything that is wrong
     */
    public static LodestoneConfig load(Path fileOrNull, Map<String, String> env) {
        return load(fileOrNull, env, Path.of(""));
    }

    static LodestoneConfig load(Path fileOrNull, Map<String, String> env, Path workingDirectory) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Section.Setting>> sections = new LinkedHashMap<>();
        Map<String, Map<String, Section.Setting>> regions = new LinkedHashMap<>();
        Optional<Path> file = locate(fileOrNull, env, workingDirectory);
        file.ifPresent(f -> readFile(f, sections, regions, problems));
        overlayEnvironment(env, sections, regions, problems);

        Binder b = new Binder(file.map(Path::toString).orElse(null), problems);
        StorageConfig storage = b.bind(StorageConfig::bind, "storage", sections.get("storage"));
        LodestoneConfig config = new LodestoneConfig(
                b.bind(ServerConfig::bind, "server", sections.get("server")),
                b.bind(LimitsConfig::bind, "limits", sections.get("limits")),
                b.bind(BatchingConfig::bind, "batching", sections.get("batching")),
                b.bind(IndexingConfig::bind, "indexing", sections.get("indexing")),
                storage,
                b.bind(CacheConfig::bind, "cache", sections.get("cache")),
                b.bind(CompactorConfig::bind, "compactor", sections.get("compactor")),
                b.bind(AuthConfig::bind, "auth", sections.get("auth")),
                b.bind(TlsConfig::bind, "tls", sections.get("tls")),
                b.bind(CorsConfig::bind, "cors", sections.get("cors")),
                b.bindRegions(regions, storage));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /**
     * The file {@link #load} reads: {@code fileOrNull}, else the one {@code LODESTONE_CONFIG} names, else
     * {@code config.toml} in {@code workingDirectory} if it exists.
     */
    static Optional<Path> locate(Path fileOrNull, Map<String, String> env, Path workingDirectory) {
        if (fileOrNull != null) {
            return Optional.of(existing(fileOrNull, ""));
        }
        String named = env.get(CONFIG_FILE_ENV);
        if (named != null && !named.isBlank()) {
            return Optional.of(existing(Path.of(named), " (named by " + CONFIG_FILE_ENV + ")"));
        }
        Path implicit = workingDirectory.resolve("config.toml");
        return Files.isRegularFile(implicit) ? Optional.of(implicit) : Optional.empty();
    }

    private static Path existing(Path file, String why) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file not found: " + file + why);
        }
        return file;
    }

    private static void readFile(Path file, Map<String, Map<String, Section.Setting>> sections,
                                 Map<String, Map<String, Section.Setting>> regions, List<String> problems) {
        JsonNode root;
        try (Reader in = Files.newBufferedReader(file)) {
            root = new TomlMapper().readTree(in);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new ConfigException(file + ": not valid TOML: " + e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        String source = file.toString();
        root.properties().forEach(entry -> {
            String name = entry.getKey();
            JsonNode table = entry.getValue();
            if (!SECTIONS.contains(name)) {
                String what = table.isObject() ? "section [" + name + "]" : "key '" + name + "' outside any section";
                problems.add(source + ": unknown " + what + "; known sections: " + String.join(", ", SECTIONS));
            } else if (!table.isObject()) {
                problems.add(source + ": " + name + " must be a table ([" + name + "]); got " + table);
            } else if (name.equals(REGIONS)) {
                table.properties().forEach(region -> {
                    if (region.getValue().isObject()) {
                        region.getValue().properties().forEach(kv -> regions
                                .computeIfAbsent(region.getKey(), k -> new LinkedHashMap<>())
                                .put(kv.getKey(), new Section.Setting(kv.getValue(), source, false)));
                    } else {
                        problems.add(source + ": regions." + region.getKey() + " must be a table ([regions."
                                + region.getKey() + "]); got " + region.getValue());
                    }
                });
            } else {
                Map<String, Section.Setting> settings = sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
                table.properties().forEach(kv ->
                        settings.put(kv.getKey(), new Section.Setting(kv.getValue(), source, false)));
            }
        });
    }

    private static void overlayEnvironment(Map<String, String> env, Map<String, Map<String, Section.Setting>> sections,
                                           Map<String, Map<String, Section.Setting>> regions, List<String> problems) {
        new TreeMap<>(env).forEach((variable, value) -> {
            if (!variable.startsWith(ENV_PREFIX) || value.isEmpty()) {
                return;
            }
            String rest = variable.substring(ENV_PREFIX.length());
            for (String section : SECTIONS) {
                String head = section.toUpperCase(Locale.ROOT) + "_";
                if (rest.startsWith(head) && rest.length() > head.length()) {
                    String key = rest.substring(head.length()).toLowerCase(Locale.ROOT);
                    Section.Setting setting = Section.Setting.ofEnv(variable, value);
                    if (section.equals(REGIONS)) {
                        overlayRegion(variable, key, setting, regions, problems);
                    } else {
                        sections.computeIfAbsent(section, k -> new LinkedHashMap<>()).put(key, setting);
                    }
                    return;
                }
            }
        });
    }

    /**
     * {@code key} is {@code <name>_<region key>}. Where several region keys end it ({@code eu_path_style}), the one
     * that leaves the name of a region of the file wins, else the longest. The name matches a region of the file
     * ignoring case, with {@code -} read as {@code _}; otherwise it names a new region, in lower case with
     * {@code _} read as {@code -}.
     */
    private static void overlayRegion(String variable, String key, Section.Setting setting,
                                      Map<String, Map<String, Section.Setting>> regions, List<String> problems) {
        String chosenKey = null;
        String chosenName = null;
        for (String regionKey : REGION_KEYS_LONGEST_FIRST) {
            if (key.endsWith("_" + regionKey) && key.length() > regionKey.length() + 1) {
                String name = key.substring(0, key.length() - regionKey.length() - 1);
                Optional<String> inFile = regions.keySet().stream()
                        .filter(r -> r.toLowerCase(Locale.ROOT).replace('-', '_').equals(name))
                        .findFirst();
                if (inFile.isPresent()) {
                    chosenKey = regionKey;
                    chosenName = inFile.get();
                    break;
                }
                if (chosenKey == null) {
                    chosenKey = regionKey;
                    chosenName = name.replace('_', '-');
                }
            }
        }
        if (chosenKey == null) {
            problems.add(variable + ": expected " + ENV_PREFIX + "REGIONS_<NAME>_<KEY> where <KEY> is one of "
                    + String.join(", ", REGION_KEYS).toUpperCase(Locale.ROOT));
            return;
        }
        regions.computeIfAbsent(chosenName, k -> new LinkedHashMap<>()).put(chosenKey, setting);
    }

    /** Binds tables to records, each with its own {@link Section}, problems going to one list. */
    private record Binder(String fileOrNull, List<String> problems) {

        <T> T bind(Function<Section, T> binder, String name, Map<String, Section.Setting> settingsOrNull) {
            Section section = section(name, settingsOrNull);
            T value = binder.apply(section);
            section.finish();
            return value;
        }

        /** The regions besides {@code storage} (the default one). */
        Map<String, StorageConfig> bindRegions(Map<String, Map<String, Section.Setting>> regions, StorageConfig storage) {
            RegionTargets targets = new RegionTargets(storage);
            regions.forEach((name, settings) -> {
                Section section = section(REGIONS + "." + name, settings);
                targets.add(name, section);
                section.finish();
            });
            return targets.regions();
        }

        private Section section(String name, Map<String, Section.Setting> settingsOrNull) {
            Map<String, Section.Setting> settings = settingsOrNull == null ? Map.of() : settingsOrNull;
            boolean inFile = settings.values().stream().anyMatch(s -> !s.fromEnv());
            return new Section(name, inFile ? fileOrNull : null, settings, problems);
        }
    }
}
