package io.dualsync.launcher.verify;

import io.dualsync.launcher.DualsyncCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class VerifyCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DualsyncCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldExitTwoWhenNeitherAMapNorAllIsGiven(@TempDir Path dir) {
        assertThat(run("verify", "--config", dir.resolve("sync.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--map", "--all");
    }

    @Test
    void shouldExitTwoWhenBothAMapAndAllAreGiven(@TempDir Path dir) {
        assertThat(run("verify", "--config", dir.resolve("sync.yaml").toString(), "--map", "x", "--all")).isEqualTo(2);
    }

    @Test
    void shouldExitTwoNamingTheFileWhenTheConfigCannotBeRead(@TempDir Path dir) {
        assertThat(run("verify", "--config", dir.resolve("nowhere.yaml").toString(), "--all")).isEqualTo(2);
        assertThat(err.toString()).contains("nowhere.yaml");
        assertThat(out.toString()).isEmpty();
    }
}
