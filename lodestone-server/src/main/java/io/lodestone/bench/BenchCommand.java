package io.lodestone.bench;

import picocli.CommandLine.Command;

/** {@code lodestone bench ...}: benchmarks that run the server's code paths and print JSON lines. */
@Command(name = "bench", description = "Benchmarks (JSON lines on stdout).",
        subcommands = {WriteBench.class, HttpWriteBench.class, WriteParseBench.class, ExactSearchBench.class,
                ReopenBench.class, AnnBench.class, ClusteredBuildBench.class, TextBench.class, LoadBench.class, ColdBench.class, AuthBench.class,
                FilteredBench.class, UpdatesBench.class})
public final class BenchCommand {
}
