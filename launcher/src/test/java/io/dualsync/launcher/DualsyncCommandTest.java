package io.dualsync.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DualsyncCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DualsyncCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldListEveryCommandInTheHelp() {
        int exit = run("--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("run", "capture", "transform", "apply", "validate", "demo", "infra");
    }

    @Test
    void shouldRefuseToStartWithoutAConfigFile() {
        int exit = run("run");

        assertThat(exit).isEqualTo(2); // picocli's usage error
        assertThat(err.toString()).contains("--config");
    }

    @Test
    void shouldNameAnUnreadableConfigFileAndExitOne(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere.yaml");

        int exit = run("validate", "--config", missing.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("nowhere.yaml").contains("cannot read the file");
    }

    @Test
    void shouldReportEveryConfigProblemBeforeTouchingAnyDatabase(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                kafka: { bootstrap: localhost:9092 }
                registry: { url: http://localhost:8080 }
                endpoints:
                  crm: { kind: postgres, url: "jdbc:postgresql://localhost:1/crm", user: sync, password: "s3cr3t-Vq9" }
                maps:
                  - name: customers
                    a: crm.public.account
                    b: erp.customer
                    key: [ { a: id, b: id } ]
                    feilds: [ { a: name, b: name } ]
                """);

        int exit = run("run", "--config", file.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains("bad.yaml:4")          // the inline password, on its line
                .contains("passwordEnv")         // and how to fix it
                .contains("bad.yaml:10")         // the misspelt key
                .contains("fields")              // with the right spelling
                .contains("erp")                 // the unknown endpoint
                .doesNotContain("s3cr3t-Vq9");   // the password itself is never echoed
    }
}
