package io.github.rip.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of a one-off command: positional values, options with a value ({@code --job NAME}) and flags
 * ({@code --json}). Anything else is a usage error (exit code 2), said before anything is read or started.
 */
final class CommandLine {

    final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flagsGiven = new java.util.HashSet<>();

    /** Parses {@code args}; {@code withValue} and {@code flags} name the options the command knows. */
    static CommandLine parse(String[] args, Set<String> withValue, Set<String> flags) {
        CommandLine line = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ("-h".equals(arg) || "--help".equals(arg)) {
                line.flagsGiven.add("--help");
            } else if (flags.contains(arg)) {
                line.flagsGiven.add(arg);
            } else if (withValue.contains(arg)) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(arg + " needs a value");
                }
                line.options.put(arg, args[++i]);
            } else if (arg.startsWith("-")) {
                throw new UsageException("unknown option " + arg);
            } else {
                line.positional.add(arg);
            }
        }
        return line;
    }

    /** Wrong arguments (exit code 2): said with the command's usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    boolean has(String flag) {
        return flagsGiven.contains(flag);
    }

    String option(String name) {
        return options.get(name);
    }
}
