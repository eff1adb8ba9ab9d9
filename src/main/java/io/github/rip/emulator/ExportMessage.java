package io.github.rip.emulator;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One message of an export job's outbound queue, as the emulator keeps it (persisted as JSON next to its package).
 *
 * @param id                     stable key: the first CorrelationId the message had (canonical)
 * @param activityId             the export job's activity id, canonical
 * @param sequence               publish order, for "oldest first" when two messages share a timestamp
 * @param correlationId          the current CorrelationId (changes on redelivery only with redeliveryNewCorrelationId)
 * @param previousCorrelationIds earlier CorrelationIds, oldest first (acks naming one are refused as stale)
 * @param popReceipt             the current PopReceipt, null until first dequeued
 * @param blobId                 the {@code blob} parameter of the DownloadLocation
 * @param fileName               the published file's name (download Content-Disposition), null if unknown
 * @param bodyPath               where the package is stored (not persisted: derived from the data folder)
 * @param size                   package size in bytes
 * @param downloadErrorMessage   non-null for a message without a file ({@code IsDownLoadFileExist=false})
 * @param state                  Enqueued, Dequeued or Acked
 * @param publishedAt            when it was published
 * @param lastDequeuedAt         the latest dequeue, null before the first
 * @param visibleAt              when dequeue may offer it (again)
 * @param dequeueCount           how often it was dequeued
 * @param ackedAt                when it was acked, null before
 * @param outcome                the export run reported by jobstatus (entities and records), null for published files
 */
public record ExportMessage(String id, String activityId, long sequence, String correlationId,
                            List<String> previousCorrelationIds, String popReceipt, String blobId, String fileName,
                            @JsonIgnore Path bodyPath, long size, String downloadErrorMessage, DataJobState state,
                            Instant publishedAt, Instant lastDequeuedAt, Instant visibleAt, int dequeueCount,
                            Instant ackedAt, ProcessingOutcome outcome) {

    public ExportMessage {
        previousCorrelationIds = previousCorrelationIds == null ? List.of() : List.copyOf(previousCorrelationIds);
    }

    /** Whether a package can be downloaded for it ({@code IsDownLoadFileExist}). */
    @JsonIgnore
    public boolean isDownloadable() {
        return downloadErrorMessage == null;
    }

    /** Whether this is or was one of the message's CorrelationIds (canonical form expected). */
    boolean hasCorrelationId(String canonical) {
        return correlationId.equals(canonical) || previousCorrelationIds.contains(canonical);
    }

    ExportMessage withBodyPath(Path path) {
        return new ExportMessage(id, activityId, sequence, correlationId, previousCorrelationIds, popReceipt, blobId,
                fileName, path, size, downloadErrorMessage, state, publishedAt, lastDequeuedAt, visibleAt,
                dequeueCount, ackedAt, outcome);
    }

    /** Dequeued now: new receipt, hidden until {@code hiddenUntil}, maybe a new CorrelationId. */
    ExportMessage dequeued(Instant now, String newPopReceipt, Instant hiddenUntil, String newCorrelationId) {
        List<String> previous = previousCorrelationIds;
        if (newCorrelationId != null && !newCorrelationId.equals(correlationId)) {
            previous = new ArrayList<>(previousCorrelationIds);
            previous.add(correlationId);
        }
        String current = newCorrelationId == null ? correlationId : newCorrelationId;
        return new ExportMessage(id, activityId, sequence, current, previous, newPopReceipt, blobId, fileName,
                bodyPath, size, downloadErrorMessage, DataJobState.DEQUEUED, publishedAt, now, hiddenUntil,
                dequeueCount + 1, ackedAt, outcome);
    }

    ExportMessage acked(Instant now) {
        return new ExportMessage(id, activityId, sequence, correlationId, previousCorrelationIds, popReceipt, blobId,
                fileName, bodyPath, size, downloadErrorMessage, DataJobState.ACKED, publishedAt, lastDequeuedAt,
                visibleAt, dequeueCount, now, outcome);
    }

    /** The message as jobstatus renders it: DataJobIdentifier = the current CorrelationId. */
    EmulatorMessage asStatusMessage() {
        return new EmulatorMessage(correlationId, activityId, null, null, null, bodyPath, size, state, publishedAt,
                null, publishedAt, publishedAt, outcome);
    }
}
