package io.github.rip.emulator;

/** An entity file the emulator cannot read at all (malformed XML, bad encoding, no header…): a PreProcessError. */
final class UnreadableFileException extends Exception {

    UnreadableFileException(String message) {
        super(message, null, false, false);
    }
}
