package io.dualsync.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link ConfigLoader} when a configuration file has problems: all of them, found in
 * one pass, so a user fixes the file once instead of once per error. The message has a header
 * line {@code N problem(s) in <file>} and then one line per problem.
 */
public class ConfigException extends RuntimeException {

    private final Path file;
    private final List<ConfigProblem> problems;

    public ConfigException(Path file, List<ConfigProblem> problems) {
        super(format(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public Path file() {
        return file;
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String format(Path file, List<ConfigProblem> problems) {
        return problems.size() + " problem(s) in " + file + "\n"
                + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
