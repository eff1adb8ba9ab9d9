package io.github.rip.emulator;

import java.util.List;

/**
 * One entity of an export job's data project, used to generate export packages: one CSV file per entity.
 *
 * @param name         the entity label as in DMF, e.g. {@code Customer groups} (also the CSV file name)
 * @param columns      the CSV columns, in order
 * @param sourceFormat the data-source name written to the manifest: {@code CSV-Unicode} (default, the file is
 *                     UTF-16LE with BOM like D365 writes it) or any other name (the file is then UTF-8 without BOM)
 */
public record ExportEntity(String name, List<String> columns, String sourceFormat) {

    /** D365's built-in Unicode CSV data source. */
    public static final String CSV_UNICODE = "CSV-Unicode";

    public ExportEntity {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An export entity needs a name");
        }
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("Export entity '" + name + "' needs at least one column");
        }
        name = name.trim();
        columns = columns.stream().map(String::trim).toList();
        sourceFormat = sourceFormat == null || sourceFormat.isBlank() ? CSV_UNICODE : sourceFormat.trim();
    }

    /** An entity exported as CSV-Unicode. */
    public static ExportEntity of(String name, String... columns) {
        return new ExportEntity(name, List.of(columns), null);
    }

    /** Whether the CSV is written as UTF-16LE with BOM (CSV-Unicode) rather than UTF-8. */
    boolean isUnicode() {
        return CSV_UNICODE.equalsIgnoreCase(sourceFormat);
    }
}
