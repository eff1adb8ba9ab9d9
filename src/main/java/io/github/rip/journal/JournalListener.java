package io.github.rip.journal;

import org.slf4j.LoggerFactory;

/**
 * Told about every change of state the journals record, after the statement committed and on the thread that made it:
 * the journals are the one place where a file's or an export message's state changes, so whatever counts those changes
 * (the Prometheus metrics of io.github.rip.operations) listens here instead of in each job. A listener must be quick;
 * if it throws, the journal logs it and carries on (the change itself is already recorded).
 */
public interface JournalListener {

    /** What happened to an import journal row. */
    enum ImportChange {
        /** A file was taken from its inbox (a new row). */
        CLAIMED,
        /** A row waiting after a transient failure is tried again. */
        RETRIED,
        /** D365 accepted the file (message id recorded). */
        ENQUEUED,
        /** A transient failure: the file waits in its inbox for its next attempt. */
        WAITING,
        /** Refused before or at the enqueue (4xx, broken package, XSLT error, duplicate): the file is in failed/. */
        REJECTED,
        /** D365 reached a terminal state: the row is PROCESSED or FAILED. */
        FINISHED
    }

    /** What happened to an export journal row. */
    enum ExportChange { DEQUEUED, REDEQUEUED, DOWNLOADED, DELIVERED, DUPLICATE, ACKED, FAILED }

    JournalListener NONE = new JournalListener() { };

    default void importChanged(ImportChange change, long id) {
    }

    default void exportChanged(ExportChange change, long id) {
    }

    /** Runs a listener call; a failure is logged, never passed on to the job that changed the row. */
    static void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(JournalListener.class).warn("A journal listener failed (the journal is not "
                    + "affected): {}", e.toString());
        }
    }
}
