package io.github.rip.emulator;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Streams the records of an entity file, one at a time, so files of any size are checked in constant memory. */
interface RecordSource extends Closeable {

    /**
     * One data record.
     *
     * @param row              1-based record number
     * @param line             1-based line where the record starts
     * @param fields           column name (case-insensitive map) to value
     * @param structureProblem why the record could not be split into columns, null if it could
     */
    record SourceRecord(long row, long line, Map<String, String> fields, String structureProblem) {
    }

    /** The header's column names, or null for formats without a header row (XML). Read before the first record. */
    List<String> header() throws UnreadableFileException, IOException;

    /** The next record, or null at the end. */
    SourceRecord next() throws UnreadableFileException, IOException;
}
