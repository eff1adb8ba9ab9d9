package io.github.rip.emulator;

/**
 * One problem found in an entity file.
 *
 * @param row     1-based data record number (0 for a problem with the whole file, e.g. a missing column)
 * @param line    1-based line in the file where the record starts (0 when unknown)
 * @param field   the column concerned, null if none
 * @param message a sentence naming row, line and column
 */
public record RecordError(long row, long line, String field, String message) {
}
