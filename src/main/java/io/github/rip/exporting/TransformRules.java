package io.github.rip.exporting;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which XSLT stylesheet applies to which entity file of an unzipped package. One rule per line:
 * {@code <file glob> | <stylesheet>} (glob on the file's name in the package, ignoring case: {@code *}, {@code ?}), or
 * just {@code <stylesheet>} for every file. The first matching rule wins; blank lines and {@code #} comments are
 * ignored. Example: {@code Customer groups.xml | transforms/customer-groups-out.xsl}.
 */
public final class TransformRules {

    private record Rule(Pattern glob, String stylesheet) {
    }

    private final List<Rule> rules;

    private TransformRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** Parses the job's {@code transform} parameter; empty text = no transforms. */
    public static TransformRules parse(String text) {
        List<Rule> rules = new ArrayList<>();
        if (text != null) {
            for (String raw : text.split("\\R")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int bar = line.indexOf('|');
                String glob = bar < 0 ? "*" : line.substring(0, bar).strip();
                String stylesheet = (bar < 0 ? line : line.substring(bar + 1)).strip();
                if (glob.isEmpty() || stylesheet.isEmpty()) {
                    throw new IllegalArgumentException("Transform rule '" + line + "' must be '<file glob> | "
                            + "<stylesheet>' or '<stylesheet>'");
                }
                rules.add(new Rule(compile(glob), stylesheet));
            }
        }
        return new TransformRules(List.copyOf(rules));
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The stylesheet for a file of the package (its name as in the zip), if a rule matches. */
    public Optional<String> stylesheetFor(String entryName) {
        String name = entryName.substring(Math.max(entryName.lastIndexOf('/'), entryName.lastIndexOf('\\')) + 1);
        return rules.stream().filter(r -> r.glob.matcher(name).matches()).map(Rule::stylesheet).findFirst();
    }

    /** Stylesheets that do not exist as files (checked at startup, so a typo fails fast). */
    public List<String> missingStylesheets() {
        return rules.stream().map(Rule::stylesheet).filter(s -> !Files.isRegularFile(Path.of(s))).distinct().toList();
    }

    private static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }
}
