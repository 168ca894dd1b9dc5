package io.dualsync.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a secret given as {@code <name>Env} (an environment variable) or {@code <name>File} (a
 * file, e.g. a mounted Kubernetes secret) and resolves config-relative paths; one place for every
 * reader of the config, so passwords of endpoints and of Kafka behave alike. Problems are reported
 * on the nodes and never contain the secret.
 */
final class SecretReader {

    private final Path configFile;
    private final Map<String, String> env;

    SecretReader(Path configFile, Map<String, String> env) {
        this.configFile = configFile;
        this.env = env;
    }

    /**
     * @param unsetFix the fix to suggest when the named environment variable is not set
     * @return the secret; {@code null} when neither key is given or it cannot be read (reported)
     */
    Secret read(ConfigNode parent, String name, String unsetFix) {
        ConfigNode envNode = parent.child(name + "Env");
        ConfigNode fileNode = parent.child(name + "File");
        if (envNode.present() && fileNode.present()) {
            fileNode.keyProblem("both " + name + "Env and " + name + "File are given", "keep one of them");
            return null;
        }
        Optional<String> variable = envNode.text();
        if (variable.isPresent()) {
            String value = env.get(variable.get());
            if (value == null) {
                envNode.problem("environment variable " + variable.get() + " is not set", unsetFix.replace("{}", variable.get()));
                return null;
            }
            return Secret.fromEnv(value, variable.get());
        }
        Optional<String> path = fileNode.text();
        if (path.isEmpty()) {
            return null;
        }
        Path secretFile = resolve(path.get());
        try {
            String value = Files.readString(secretFile);
            // a file written by `echo` or a text editor ends with a line break that is not part of the secret
            return Secret.fromFile(value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                    : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value, secretFile);
        } catch (IOException e) {
            fileNode.problem("cannot read " + secretFile + " (" + e.getClass().getSimpleName() + ")",
                    "check the path (relative paths start at the config file's directory) and its permissions");
            return null;
        }
    }

    /**
     * The file {@code node} names (relative to the config file's directory), checked to be readable
     * now, so a wrong path is reported with its line instead of as a handshake failure later.
     *
     * @return the path; empty when the node is absent or the file cannot be read (reported)
     */
    Optional<Path> readableFile(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path path = resolve(text.get());
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            node.problem("cannot read " + path, "check the path (relative paths start at the config file's directory) and its permissions");
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /** A path as written in the config: relative paths start at the config file's directory. */
    Path resolve(String path) {
        Path p = Path.of(path);
        Path dir = configFile.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p);
    }
}
