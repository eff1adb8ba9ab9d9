package io.github.rip.emulator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks one entity file the way D365 would reject it: required columns must exist (else the whole file fails,
 * a PreProcessError), every record must split into the header's fields (else it fails at staging) and carry a value
 * in each required column (else it fails at target).
 */
final class EntityFileChecker {

    /** Record errors kept per entity; counting goes on beyond it. */
    static final int MAX_ERRORS_KEPT = 100;

    /**
     * The verdict on one file.
     *
     * @param records       data records read
     * @param stagingErrors records that could not be split into columns
     * @param targetErrors  records with an empty required column
     * @param unreadable    why the whole file was rejected, null if it was readable
     * @param errors        the first record errors
     */
    record Check(long records, long stagingErrors, long targetErrors, String unreadable, List<RecordError> errors) {

        static Check rejected(String reason) {
            return new Check(0, 0, 0, reason, List.of(new RecordError(0, 0, null, reason)));
        }
    }

    private EntityFileChecker() {
    }

    /** Reads {@code in} to the end (and closes it); {@code format} null means detect from the first bytes. */
    static Check check(InputStream in, RecurringJob.FileFormat format, List<String> requiredColumns) throws IOException {
        return check(in, format, requiredColumns, List.of());
    }

    /**
     * As {@link #check(InputStream, RecurringJob.FileFormat, List)}, and every mapped column (a package manifest's
     * field map) must exist in the file; unlike required columns, a mapped column may be empty in a record.
     */
    static Check check(InputStream in, RecurringJob.FileFormat format, List<String> requiredColumns,
                       List<String> mappedColumns) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        RecurringJob.FileFormat actual = format != null ? format : sniff(buffered);
        try (RecordSource source = actual == RecurringJob.FileFormat.XML ? new XmlRecordSource(buffered)
                : new CsvRecordSource(buffered)) {
            return run(source, requiredColumns, mappedColumns);
        } catch (UnreadableFileException e) {
            return Check.rejected(e.getMessage());
        }
    }

    private static Check run(RecordSource source, List<String> required, List<String> mapped)
            throws UnreadableFileException, IOException {
        List<String> header = source.header();
        if (header != null) {
            Set<String> present = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            present.addAll(header);
            List<String> missing = required.stream().filter(c -> !present.contains(c)).toList();
            if (!missing.isEmpty()) {
                return Check.rejected("The file has no column " + String.join(", ", missing) + " (required); its"
                        + " header row has: " + String.join(", ", header) + ".");
            }
            List<String> unmapped = mapped.stream().filter(c -> !present.contains(c)).toList();
            if (!unmapped.isEmpty()) {
                return Check.rejected("Manifest.xml maps column " + String.join(", ", unmapped) + " but the file has"
                        + " no such column; its header row has: " + String.join(", ", header) + ".");
            }
        }
        Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        List<RecordError> errors = new ArrayList<>();
        long records = 0;
        long stagingErrors = 0;
        long targetErrors = 0;
        RecordSource.SourceRecord record;
        while ((record = source.next()) != null) {
            records++;
            seen.addAll(record.fields().keySet());
            String where = "Row " + record.row() + " (line " + record.line() + ")";
            if (record.structureProblem() != null) {
                stagingErrors++;
                keep(errors, new RecordError(record.row(), record.line(), null,
                        where + ": " + record.structureProblem() + "."));
                continue;
            }
            Set<String> emptyColumns = new LinkedHashSet<>();
            for (String column : required) {
                String value = record.fields().get(column);
                if (value == null || value.isBlank()) {
                    emptyColumns.add(column);
                    keep(errors, new RecordError(record.row(), record.line(), column, where + ": column " + column
                            + (value == null ? " is missing." : " is empty.")));
                }
            }
            if (!emptyColumns.isEmpty()) {
                targetErrors++;
            }
        }
        if (header == null && records > 0) {
            List<String> neverSeen = required.stream().filter(c -> !seen.contains(c)).toList();
            if (!neverSeen.isEmpty()) {
                return Check.rejected("No record of the file has column " + String.join(", ", neverSeen)
                        + " (required).");
            }
        }
        return new Check(records, stagingErrors, targetErrors, null, errors);
    }

    private static void keep(List<RecordError> errors, RecordError error) {
        if (errors.size() < MAX_ERRORS_KEPT) {
            errors.add(error);
        }
    }

    /** XML if the first character after a BOM and blanks is '<', else delimited text. */
    private static RecurringJob.FileFormat sniff(BufferedInputStream in) throws IOException {
        in.mark(4096);
        byte[] head = in.readNBytes(4096);
        in.reset();
        for (byte b : head) {
            int c = b & 0xFF;
            if (c == 0xEF || c == 0xBB || c == 0xBF || c == 0xFF || c == 0xFE || c == 0 || Character.isWhitespace(c)) {
                continue;
            }
            return c == '<' ? RecurringJob.FileFormat.XML : RecurringJob.FileFormat.CSV;
        }
        return RecurringJob.FileFormat.CSV;
    }
}
