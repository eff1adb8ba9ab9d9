package io.github.rip.support;

import java.util.List;

/**
 * The configuration cannot work: one line per problem, each naming where it is (file, job, setting or parameter), the
 * value and what is accepted. The start stops with it; {@code validate} prints the lines.
 */
public class InvalidConfigurationException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidConfigurationException(String problem) {
        this(List.of(problem));
    }

    public InvalidConfigurationException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidConfigurationException needs a problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
