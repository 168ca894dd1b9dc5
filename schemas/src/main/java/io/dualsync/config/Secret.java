package io.dualsync.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A password or other secret, resolved from an environment variable or a file. Its
 * {@link #toString()} never shows the value, so a secret can sit in a record that gets logged.
 *
 * @param value  the secret itself
 * @param origin where it came from, e.g. {@code env CRM_PASSWORD}; safe to log
 */
public record Secret(String value, String origin) {

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    private static final String ENV = "env ";
    private static final String FILE = "file ";

    /** A secret read from the environment variable {@code variable}. */
    public static Secret fromEnv(String value, String variable) {
        return new Secret(value, ENV + variable);
    }

    /** A secret read from {@code file}, an absolute path. */
    public static Secret fromFile(String value, Path file) {
        return new Secret(value, FILE + file.toAbsolutePath());
    }

    /**
     * Where a Kafka Connect worker reads the same secret, as a config provider reference that
     * Connect resolves on the worker (KIP-297), so the value itself never goes into a connector
     * configuration: {@code ${env:VAR}} (Kafka's {@code EnvVarConfigProvider}, registered as
     * {@code env}) or {@code ${dir:/dir:file}} ({@code DirectoryConfigProvider}, registered as
     * {@code dir}: the whole file is the value, as a mounted Kubernetes secret is). Empty for a
     * secret made some other way.
     */
    public Optional<String> connectReference() {
        Optional<Path> file = file();
        if (file.isPresent()) {
            return Optional.of("${dir:" + file.get().getParent() + ":" + file.get().getFileName() + "}");
        }
        return origin != null && origin.startsWith(ENV) ? Optional.of("${env:" + origin.substring(ENV.length()) + "}") : Optional.empty();
    }

    /** The file the secret was read from, if it was. */
    public Optional<Path> file() {
        return origin != null && origin.startsWith(FILE) ? Optional.of(Path.of(origin.substring(FILE.length()))) : Optional.empty();
    }

    @Override
    public String toString() {
        return "****** (from " + origin + ")";
    }
}
