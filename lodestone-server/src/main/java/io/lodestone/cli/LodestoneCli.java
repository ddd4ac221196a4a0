package io.lodestone.cli;

import io.lodestone.config.ConfigLoader;
import io.lodestone.config.LodestoneConfig;
import io.lodestone.http.LodestoneServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The {@code lodestone} command line. */
@Command(name = "lodestone", mixinStandardHelpOptions = true, versionProvider = LodestoneCli.Version.class,
        description = "Lodestone: vector and full-text search on object storage.",
        subcommands = {LodestoneCli.Serve.class, AdminCommand.class, LodestoneCli.VersionCommand.class, io.lodestone.bench.BenchCommand.class})
public final class LodestoneCli {

    /** Exit code of a start refused by its configuration. */
    static final int CONFIG_ERROR = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line; a configuration problem is printed as its message alone (it names the key), no stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new LodestoneCli()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof io.lodestone.config.ConfigException)) throw e;
            cmd.getErr().println("lodestone: " + e.getMessage());
            return CONFIG_ERROR;
        });
    }

    /** {@code lodestone serve}: runs the server until killed. */
    @Command(name = "serve", description = "Start the server (config.toml and LODESTONE_* environment variables).")
    static final class Serve implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, description = "configuration file (default: ./config.toml if present)")
        Path config;

        @Override
        public Integer call() throws InterruptedException {
            LodestoneConfig cfg = ConfigLoader.load(config, System.getenv());
            LodestoneServer server = LodestoneServer.start(cfg);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            System.out.println("Lodestone listening on " + server.scheme() + "://" + cfg.server().host() + ":" + server.port()
                    + " (storage: " + storageDescription(server) + ", auth " + (cfg.auth().enabled() ? "on" : "off") + ")");
            server.firstAdminKey().ifPresent(k -> System.out.println("First admin key of this bucket (shown once; keep it secret): " + k));
            System.out.flush();
            stopped.await();
            return 0;
        }
    }

    /** {@code local:/data}; with several regions {@code default=local:/data, eu=s3://bucket/}. */
    static String storageDescription(LodestoneServer server) {
        var regions = server.regions();
        if (regions.names().size() == 1) {
            return server.database().store().describe();
        }
        return regions.names().stream().map(n -> n + "=" + regions.get(n).store().describe())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** {@code lodestone version}. */
    @Command(name = "version", description = "Print the version.")
    static final class VersionCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("lodestone " + Version.VERSION + " (Java " + Runtime.version() + ")");
            return 0;
        }
    }

    /** Version from the jar manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        static final String VERSION = versionString();

        private static String versionString() {
            String v = LodestoneCli.class.getPackage().getImplementationVersion();
            return v == null ? "0.1.0-SNAPSHOT" : v;
        }

        @Override
        public String[] getVersion() {
            return new String[] {"lodestone " + VERSION};
        }
    }
}
