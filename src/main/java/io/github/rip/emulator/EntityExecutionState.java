package io.github.rip.emulator;

/** The {@code EntityExecutionState} enum of jobstatus' ExecutionDetail, values from Microsoft's contract DLL (docs/d365-api.md §1.4). */
public enum EntityExecutionState {
    NOT_STARTED(0, "NotStarted"),
    WAITING(1, "Waiting"),
    EXECUTING(2, "Executing"),
    ERROR(3, "Error"),
    FINISHED(4, "Finished"),
    READY(5, "Ready"),
    NOT_RUN(6, "NotRun"),
    CANCELLING(7, "Cancelling"),
    CANCELED(8, "Canceled"),
    HOLD(9, "Hold");

    private final int code;
    private final String wireName;

    EntityExecutionState(int code, String wireName) {
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
}
