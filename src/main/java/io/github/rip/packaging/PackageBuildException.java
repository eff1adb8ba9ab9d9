package io.github.rip.packaging;

import java.util.List;

/** The batch cannot become a package (unmatched or missing files, unreadable headers…); lists every problem found. */
public class PackageBuildException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public PackageBuildException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public PackageBuildException(String problem) {
        this(List.of(problem));
    }

    /** Each problem as a sentence a user can act on. */
    public List<String> problems() {
        return problems;
    }
}
