package io.dualsync.it;

import io.dualsync.capture.CaptureService;
import io.dualsync.config.ConfigLoader;
import io.dualsync.config.SyncConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Database passwords never leave the environment variable or file they come from: a full run of
 * {@code dualsync run} and {@code dualsync validate} (good config, wrong password, password written
 * inline or into the JDBC URL) are started as child processes exactly as an operator starts them,
 * every byte they write to stdout and stderr is kept, and none of it may contain a password.
 *
 * <p>The two database users are real password users: the shared PostgreSQL trusts local
 * connections, so this test puts {@code scram-sha-256} lines for exactly these two users at the top
 * of {@code pg_hba.conf} (other tests' users are untouched) and checks that a wrong password is
 * refused before it relies on it. Logging in the children is turned up (Debezium, which lists its
 * connector configuration at start, and Kafka's clients at INFO; dualsync at DEBUG), so that the
 * output holds everything a production log could.
 */
class SecretsIT {

    /** Distinctive values: a match anywhere in the output cannot be a coincidence. */
    private static final String SOURCE_SECRET = "srcPw-" + random();
    private static final String TARGET_SECRET = "dstPw-" + random();
    private static final String WRONG_SECRET = "wrongPw-" + random();
    private static final String MARIADB_SECRET = "mariaPw-" + random();
    private static final String SOURCE_PASSWORD_VARIABLE = "SECRETS_IT_SOURCE_PASSWORD";

    @TempDir
    static Path dir;

    static Path hbaFile;
    static String originalHba;
    static String sourceUrl;
    static String targetUrl;
    static String sourceUser;
    static String targetUser;
    static String sourceEndpoint;
    static String targetEndpoint;

    @BeforeAll
    static void createPasswordUsersAndDatabases() throws Exception {
        var pg = SharedInfrastructure.get().postgres();
        sourceUrl = pg.createDatabase(SharedInfrastructure.uniqueName("secrets_src"));
        targetUrl = pg.createDatabase(SharedInfrastructure.uniqueName("secrets_dst"));
        sourceUser = SharedInfrastructure.uniqueName("secrets_capture");
        targetUser = SharedInfrastructure.uniqueName("secrets_apply");
        sourceEndpoint = SharedInfrastructure.uniqueName("shop");
        targetEndpoint = SharedInfrastructure.uniqueName("warehouse");
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), null); Statement s = c.createStatement()) {
            // superusers: this test is about where passwords go, not about grants
            s.execute("CREATE ROLE " + sourceUser + " LOGIN SUPERUSER PASSWORD '" + SOURCE_SECRET + "'");
            s.execute("CREATE ROLE " + targetUser + " LOGIN SUPERUSER PASSWORD '" + TARGET_SECRET + "'");
            try (ResultSet r = s.executeQuery("SHOW hba_file")) {
                r.next();
                hbaFile = Path.of(r.getString(1));
            }
            originalHba = Files.readString(hbaFile);
            StringBuilder lines = new StringBuilder("# SecretsIT: these users must give their password\n");
            for (String user : List.of(sourceUser, targetUser)) {
                for (String database : List.of("all", "replication")) {
                    lines.append("host ").append(database).append(' ').append(user).append(" 127.0.0.1/32 scram-sha-256\n");
                    lines.append("host ").append(database).append(' ').append(user).append(" ::1/128 scram-sha-256\n");
                }
            }
            Files.writeString(hbaFile, lines + originalHba);
            s.execute("SELECT pg_reload_conf()");
        }
        // pg_reload_conf() only signals the postmaster: wait until the rule is in force
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> DriverManager.getConnection(sourceUrl, sourceUser, WRONG_SECRET).close())
                        .hasMessageContaining("password authentication failed"));
        try (Connection c = DriverManager.getConnection(sourceUrl, sourceUser, SOURCE_SECRET); Statement s = c.createStatement()) {
            s.execute("create table item (id int primary key, code text not null unique, label text)");
            s.execute("insert into item values (1, 'A-1', 'before the start'), (2, 'A-2', 'also before')");
        }
        try (Connection c = DriverManager.getConnection(targetUrl, targetUser, TARGET_SECRET); Statement s = c.createStatement()) {
            s.execute("create table article (code text primary key, label text)");
        }
    }

    @AfterAll
    static void restorePgHba() throws Exception {
        if (originalHba != null) {
            Files.writeString(hbaFile, originalHba);
            var pg = SharedInfrastructure.get().postgres();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), null); Statement s = c.createStatement()) {
                s.execute("SELECT pg_reload_conf()");
            }
        }
    }

    @Test
    void shouldNeverWriteAPasswordToTheOutputOfAFullRun() throws Exception {
        Path config = config("run.yaml", "passwordEnv: " + SOURCE_PASSWORD_VARIABLE);
        Output output;
        Process process = launch(config, Map.of(SOURCE_PASSWORD_VARIABLE, SOURCE_SECRET), "run");
        try {
            try (Connection c = DriverManager.getConnection(sourceUrl, sourceUser, SOURCE_SECRET); Statement s = c.createStatement()) {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !process.isAlive() || targetRows() == 2);
                assertThat(process.isAlive()).as("dualsync run stopped early:%n%s", Output.of(config).all()).isTrue();
                s.execute("insert into item values (3, 'A-3', 'while running')");
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !process.isAlive() || targetRows() == 3);
            assertThat(process.isAlive()).as("dualsync run stopped early:%n%s", Output.of(config).all()).isTrue();
        } finally {
            output = stop(process, config);
            SyncConfig loaded = ConfigLoader.load(config, Map.of(SOURCE_PASSWORD_VARIABLE, SOURCE_SECRET));
            CaptureService.dropSlotAndPublication(loaded.endpoint(sourceEndpoint));
        }

        assertThat(targetRows()).isEqualTo(3);
        assertThat(output.all()).as("the services logged their start").contains("started")
                // Debezium lists its connector configuration at start, the password masked
                .containsPattern("database\\.password = \\*+")
                // the Kafka clients list theirs
                .contains("ProducerConfig values");
        assertNoSecretIn(output);
    }

    @Test
    void shouldNeverWriteAPasswordToTheOutputOfValidate() throws Exception {
        Path config = config("validate.yaml", "passwordEnv: " + SOURCE_PASSWORD_VARIABLE);
        Output output = runToEnd(config, Map.of(SOURCE_PASSWORD_VARIABLE, SOURCE_SECRET), "validate");

        assertThat(output.exit).as(output.all()).isZero();
        assertThat(output.stdout).contains("is valid");
        assertNoSecretIn(output);
    }

    @Test
    void shouldReportAWrongPasswordWithoutWritingItOrTheRightOne() throws Exception {
        Path config = config("wrong.yaml", "passwordEnv: " + SOURCE_PASSWORD_VARIABLE);
        Output output = runToEnd(config, Map.of(SOURCE_PASSWORD_VARIABLE, WRONG_SECRET), "validate");

        assertThat(output.exit).isEqualTo(1);
        assertThat(output.stderr).contains("password authentication failed for user \"" + sourceUser + "\"");
        assertNoSecretIn(output);
    }

    @Test
    void shouldRefuseAPasswordWrittenInTheConfigFileWithoutRepeatingIt() throws Exception {
        Path config = config("inline.yaml", "password: " + SOURCE_SECRET);
        Output output = runToEnd(config, Map.of(), "validate");

        assertThat(output.exit).isEqualTo(1);
        assertThat(output.stderr).contains("inline.yaml:4:")
                .contains("endpoints." + sourceEndpoint + ".password: a password must not be written in the config file")
                .contains("passwordEnv: NAME").contains("passwordFile: /path/to/file");
        assertNoSecretIn(output);
    }

    @Test
    void shouldRefuseAPasswordWrittenIntoTheJdbcUrlWithoutRepeatingIt() throws Exception {
        Path config = config("in-url.yaml", "passwordEnv: " + SOURCE_PASSWORD_VARIABLE)
                .toAbsolutePath();
        Files.writeString(config, Files.readString(config).replace(sourceUrl, sourceUrl + "?password=" + SOURCE_SECRET));
        Output output = runToEnd(config, Map.of(SOURCE_PASSWORD_VARIABLE, SOURCE_SECRET), "validate");

        assertThat(output.exit).isEqualTo(1);
        assertThat(output.stderr).contains("endpoints." + sourceEndpoint + ".url: the URL carries a password");
        assertNoSecretIn(output);
    }

    @Test
    void shouldNeverWriteAMariaDbPasswordWhetherRightOrWrong() throws Exception {
        var mariadb = SharedInfrastructure.get().mariadb();
        String database = SharedInfrastructure.uniqueName("secrets_erp");
        String url = mariadb.createDatabase(database);
        String user = SharedInfrastructure.uniqueName("secrets_maria");
        try (Connection c = DriverManager.getConnection(url, mariadb.user(), mariadb.password()); Statement s = c.createStatement()) {
            s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + MARIADB_SECRET + "'");
            s.execute("GRANT ALL ON " + database + ".* TO '" + user + "'@'%'");
            s.execute("create table article (code varchar(40) primary key, label text)");
        }
        Path config = config("mariadb.yaml", "passwordEnv: " + SOURCE_PASSWORD_VARIABLE);
        Files.writeString(config, Files.readString(config).replace(
                "  " + targetEndpoint + ": { kind: postgres, url: \"" + targetUrl + "\", user: " + targetUser + ", passwordFile: target.password }",
                "  " + targetEndpoint + ": { kind: mariadb, url: \"" + url + "\", user: " + user
                        + ", passwordEnv: SECRETS_IT_MARIADB_PASSWORD, serverId: 4711 }")
                .replace(targetEndpoint + ".public.article", targetEndpoint + ".article")); // MariaDB: the URL's database
        assertThat(Files.readString(config)).contains("kind: mariadb");

        Output right = runToEnd(config, Map.of(SOURCE_PASSWORD_VARIABLE, SOURCE_SECRET,
                "SECRETS_IT_MARIADB_PASSWORD", MARIADB_SECRET), "validate");
        assertThat(right.exit).as(right.all()).isZero();
        assertNoSecretIn(right);

        Output wrong = runToEnd(config, Map.of(SOURCE_PASSWORD_VARIABLE, SOURCE_SECRET,
                "SECRETS_IT_MARIADB_PASSWORD", WRONG_SECRET), "validate");
        assertThat(wrong.exit).isEqualTo(1);
        assertThat(wrong.stderr).contains("Access denied for user '" + user + "'");
        assertNoSecretIn(wrong);
    }

    private static void assertNoSecretIn(Output output) {
        for (String secret : List.of(SOURCE_SECRET, TARGET_SECRET, WRONG_SECRET, MARIADB_SECRET)) {
            assertThat(output.all()).as("output of dualsync " + output.command).doesNotContain(secret);
        }
    }

    /** A one-way map between the two password users' databases; the target password always from a file. */
    private static Path config(String name, String sourcePassword) throws IOException {
        Files.writeString(dir.resolve("target.password"), TARGET_SECRET + "\n");
        String slot = SharedInfrastructure.uniqueName("secrets");
        return Files.writeString(dir.resolve(name), """
                kafka: { bootstrap: "%s", applicationId: it-secretsit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s, %s, slot: %s, publication: %s }
                  %s: { kind: postgres, url: "%s", user: %s, passwordFile: target.password }
                maps:
                  - name: %s
                    a: %s.public.item
                    b: %s.public.article
                    key: [ { a: code, b: code } ]
                    fields: [ { a: label, b: label } ]
                """.formatted(SharedInfrastructure.get().bootstrapServers(), SharedInfrastructure.get().registry().url(),
                sourceEndpoint, sourceUrl, sourceUser, sourcePassword, slot, slot,
                targetEndpoint, targetUrl, targetUser,
                SharedInfrastructure.uniqueName("articles"), sourceEndpoint, targetEndpoint));
    }

    private static long targetRows() throws SQLException {
        try (Connection c = DriverManager.getConnection(targetUrl, targetUser, TARGET_SECRET); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from article")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** What a child process wrote, and how it ended. */
    private record Output(String command, int exit, String stdout, String stderr) {
        String all() {
            return stdout + "\n" + stderr;
        }

        static Output of(Path config) throws IOException {
            return new Output("", -1, Files.readString(stdoutOf(config)), Files.readString(stderrOf(config)));
        }
    }

    private static Output runToEnd(Path config, Map<String, String> env, String command) throws Exception {
        Process process = launch(config, env, command);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("dualsync " + command + " did not end within 120 s");
        }
        return new Output(command, process.exitValue(), Files.readString(stdoutOf(config)), Files.readString(stderrOf(config)));
    }

    /** Stops a running {@code dualsync run} as an orchestrator does (SIGTERM) and returns its output. */
    private static Output stop(Process process, Path config) throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return new Output("run", process.exitValue(), Files.readString(stdoutOf(config)), Files.readString(stderrOf(config)));
    }

    /**
     * {@code java -cp <this test's classpath> io.dualsync.launcher.DualsyncCommand <command> -c <config>}
     * with {@code env} added to the environment, stdout and stderr each to a file beside the config.
     */
    private static Process launch(Path config, Map<String, String> env, String command) throws IOException {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        line.add("-Xmx512m");
        if (Runtime.version().feature() >= 24) {
            line.add("--sun-misc-unsafe-memory-access=allow");
        }
        // system properties override simplelogger.properties: show what a verbose production log would
        line.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        line.add("-Dorg.slf4j.simpleLogger.log.io.dualsync=debug");
        line.add("-Dorg.slf4j.simpleLogger.log.io.debezium=info");
        line.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info");
        line.add("-cp");
        line.add(String.join(File.pathSeparator, System.getProperty("java.class.path")));
        line.add("io.dualsync.launcher.DualsyncCommand");
        line.add(command);
        line.add("--config");
        line.add(config.toString());
        if (command.equals("run")) {
            // any free port for /metrics and /health: tests may run beside another dualsync on this machine
            line.add("--metrics-port");
            line.add("0");
        }
        ProcessBuilder builder = new ProcessBuilder(line)
                .redirectOutput(stdoutOf(config).toFile())
                .redirectError(stderrOf(config).toFile());
        Map<String, String> environment = new HashMap<>(env);
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static Path stdoutOf(Path config) {
        return config.resolveSibling(config.getFileName() + ".stdout");
    }

    private static Path stderrOf(Path config) {
        return config.resolveSibling(config.getFileName() + ".stderr");
    }

    private static String random() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
