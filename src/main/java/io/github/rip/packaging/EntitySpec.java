package io.github.rip.packaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One entity of a package to build: label, file glob matched against the batch files (case-insensitive), execution
 * unit/level/sequence, source format.
 *
 * @param entityName           the entity label as shown in DMF, e.g. {@code Customers V3}
 * @param fileGlob             glob over file names ({@code *}, {@code ?}, {@code [abc]}, {@code {a,b}}), case-insensitive
 * @param executionUnit        execution unit, 1 or more
 * @param levelInExecutionUnit level in the unit, 1 or more
 * @param sequenceInLevel      sequence in the level, 1 or more
 * @param sourceFormat         data-source name; null = from the file extension: csv → CSV-Unicode, xml → XML-Element
 *                             (XML-Attribute when the first record has attributes only), xlsx → EXCEL, else error
 */
public record EntitySpec(String entityName, String fileGlob, int executionUnit, int levelInExecutionUnit,
                         int sequenceInLevel, String sourceFormat) {

    private static final String SYNTAX = "'Entity label | file glob | unit.level.sequence [| source format]'";
    private static final Pattern POSITION = Pattern.compile("(\\d{1,6})\\.(\\d{1,6})\\.(\\d{1,6})");

    public EntitySpec {
        if (entityName == null || entityName.isBlank()) {
            throw new IllegalArgumentException("The entity label is empty");
        }
        if (fileGlob == null || fileGlob.isBlank()) {
            throw new IllegalArgumentException("The file glob of entity '" + entityName + "' is empty");
        }
        if (fileGlob.contains("/") || fileGlob.contains("\\")) {
            throw new IllegalArgumentException("The file glob '" + fileGlob + "' of entity '" + entityName
                    + "' contains a path separator; it is matched against file names only");
        }
        if (executionUnit < 1 || levelInExecutionUnit < 1 || sequenceInLevel < 1) {
            throw new IllegalArgumentException("Entity '" + entityName + "': unit, level and sequence must be 1 or"
                    + " more, not " + executionUnit + "." + levelInExecutionUnit + "." + sequenceInLevel);
        }
        entityName = entityName.strip();
        fileGlob = fileGlob.strip();
        sourceFormat = sourceFormat == null || sourceFormat.isBlank() ? null : sourceFormat.strip();
        GlobMatcher.compile(fileGlob); // fails early on a malformed glob
    }

    /** Whether this spec's glob matches the file name, ignoring case. */
    public boolean matches(String fileName) {
        return GlobMatcher.compile(fileGlob).matcher(fileName).matches();
    }

    /**
     * Parses a job's multi-line spec, one entity per line: {@code Entity label | file glob | unit.level.sequence
     * [| source format]}, blank lines and lines starting with # ignored. Clear IllegalArgumentException with the line
     * number on bad input (all bad lines are reported at once).
     */
    public static List<EntitySpec> parseAll(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("The entity spec is missing");
        }
        List<EntitySpec> specs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<String, Integer> lineOfLabel = new HashMap<>();
        String[] lines = spec.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                EntitySpec parsed = parseLine(line);
                Integer earlier = lineOfLabel.putIfAbsent(parsed.entityName().toLowerCase(Locale.ROOT), lineNo);
                if (earlier != null) {
                    throw new IllegalArgumentException("entity '" + parsed.entityName() + "' is already on line "
                            + earlier + "; a package holds each entity once");
                }
                specs.add(parsed);
            } catch (IllegalArgumentException e) {
                errors.add("Line " + lineNo + ": " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Invalid entity spec:\n" + String.join("\n", errors));
        }
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("The entity spec names no entity; expected lines like " + SYNTAX);
        }
        return List.copyOf(specs);
    }

    private static EntitySpec parseLine(String line) {
        String[] parts = line.split("\\|", -1);
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException("expected " + SYNTAX + " but got '" + line + "'");
        }
        String label = parts[0].strip();
        String glob = parts[1].strip();
        String position = parts[2].strip();
        if (label.isEmpty()) {
            throw new IllegalArgumentException("the entity label is empty in '" + line + "'");
        }
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("the file glob is empty for entity '" + label + "'");
        }
        var m = POSITION.matcher(position);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + position + "' for entity '" + label
                    + "' is not unit.level.sequence, e.g. 1.1.1");
        }
        String format = parts.length == 4 ? parts[3].strip() : null;
        return new EntitySpec(label, glob, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), format);
    }
}
