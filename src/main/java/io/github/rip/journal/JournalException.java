package io.github.rip.journal;

/** The journal database could not be read or written: transient for the file being processed. */
public class JournalException extends RuntimeException {
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
