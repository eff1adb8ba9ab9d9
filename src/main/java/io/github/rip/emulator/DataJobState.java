package io.github.rip.emulator;

/** The {@code DataJobState} enum of the jobstatus API, with the numeric values of Microsoft's contract DLL (docs/d365-api.md §1.4). */
public enum DataJobState {
    ENQUEUED(0, "Enqueued"),
    DEQUEUED(1, "Dequeued"),
    DOWNLOADED(2, "Downloaded"),
    ACKED(3, "Acked"),
    IN_PROCESS(4, "InProcess"),
    PROCESSED(5, "Processed"),
    PROCESSED_WITH_ERRORS(6, "ProcessedWithErrors"),
    POST_PROCESS_ERROR(7, "PostProcessError"),
    PRE_PROCESS_ERROR(8, "PreProcessError");

    private final int code;
    private final String wireName;

    DataJobState(int code, String wireName) {
        this.code = code;
        this.wireName = wireName;
    }

    /** The integer D365 sends when enums are serialized as numbers. */
    public int code() {
        return code;
    }

    /** The name D365 sends when enums are serialized as strings. */
    public String wireName() {
        return wireName;
    }

    /** Whether processing of the message is over (clients stop polling). */
    public boolean isTerminal() {
        return this == PROCESSED || this == PROCESSED_WITH_ERRORS || this == POST_PROCESS_ERROR
                || this == PRE_PROCESS_ERROR;
    }
}
