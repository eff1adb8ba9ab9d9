package io.github.rip.emulator;

import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One enqueued message as the emulator keeps it (persisted as JSON next to its body file).
 *
 * @param id                 message id, canonical (lower case, no braces)
 * @param activityId         the recurring job's activity id, canonical
 * @param entity             the {@code entity} query parameter, null if absent
 * @param company            the {@code company} query parameter, null if absent
 * @param externalIdentifier the {@code x-ms-dyn-externalidentifier} header, null if absent
 * @param bodyPath           where the received bytes are stored (not persisted: derived from the data folder)
 * @param size               body size in bytes
 * @param state              current processing state
 * @param receivedAt         when the enqueue completed
 * @param appId              the appid of the token that enqueued it
 * @param startedAt          when processing started (InProcess), null before
 * @param completedAt        when processing reached a terminal state, null before
 * @param outcome            what processing found, null until terminal
 */
public record EmulatorMessage(String id, String activityId, String entity, String company, String externalIdentifier,
                              @JsonIgnore Path bodyPath, long size, DataJobState state, Instant receivedAt,
                              String appId, Instant startedAt, Instant completedAt, ProcessingOutcome outcome) {

    EmulatorMessage withBodyPath(Path path) {
        return new EmulatorMessage(id, activityId, entity, company, externalIdentifier, path, size, state, receivedAt,
                appId, startedAt, completedAt, outcome);
    }

    EmulatorMessage inProcess(Instant at) {
        return new EmulatorMessage(id, activityId, entity, company, externalIdentifier, bodyPath, size,
                DataJobState.IN_PROCESS, receivedAt, appId, at, null, null);
    }

    EmulatorMessage completed(DataJobState terminal, Instant at, ProcessingOutcome result) {
        return new EmulatorMessage(id, activityId, entity, company, externalIdentifier, bodyPath, size, terminal,
                receivedAt, appId, startedAt, at, result);
    }
}
