package io.github.rip.sftp;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an SFTP job says about its server: a new problem once, in clear words (an error when a person must act, a
 * warning when it may pass by itself); while it lasts, a reminder now and then instead of a line per poll; and one
 * line when the server works again.
 */
final class ConnectionReporter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionReporter.class);

    private final SftpProblem.Server server;
    private final Duration reminderEvery;
    private final int probeTimeoutMillis;
    private SftpProblem current;
    private Instant since;
    private Instant lastLogged;
    private int failures;
    private Throwable lastReported;
    private final Map<String, Instant> fileProblemsLogged = new HashMap<>();

    ConnectionReporter(SftpProblem.Server server, Duration reminderEvery, int probeTimeoutMillis) {
        this.server = server;
        this.reminderEvery = reminderEvery;
        this.probeTimeoutMillis = probeTimeoutMillis;
    }

    /** A poll (connect, list) or a transfer failed. Returns the problem as reported. */
    synchronized SftpProblem failed(Throwable error) {
        lastReported = error;
        failures++;
        SftpProblem problem = SftpProblem.of(error, server, null);
        Instant now = Instant.now();
        if (current == null || current.kind() != problem.kind()) {
            if (problem.kind().isHostKey()) {
                // worth a second connection: the operator needs the offered key's fingerprint to decide
                problem = SftpProblem.of(error, server,
                        HostKeyProbe.probe(server.host(), server.port(), probeTimeoutMillis).orElse(null));
            }
            current = problem;
            since = since == null ? now : since;
            lastLogged = now;
            log(problem.message() + (problem.kind().needsAPerson ? "" : " Files stay on the server; the job keeps "
                    + "trying, less often after repeated failures, and carries on by itself when the server is back."));
        } else if (Duration.between(lastLogged, now).compareTo(reminderEvery) >= 0) {
            lastLogged = now;
            log(current.message() + " [still failing since " + since + ", " + failures + " failed attempts]");
        } else {
            LOG.debug("{} [repeated]", problem.message());
        }
        return problem;
    }

    /** A poll went through: if there was a problem, say that it is over. */
    synchronized void succeeded() {
        if (current != null) {
            LOG.info("{} ({}): working again after {} failed attempt(s) since {}", server.who(), server.name(),
                    failures, since);
        }
        current = null;
        since = null;
        failures = 0;
        lastReported = null;
    }

    /** A download or a move of one file failed: said once per file and kind of problem, then as a reminder. */
    synchronized void fileFailed(String file, SftpProblem problem, String context) {
        Instant now = Instant.now();
        fileProblemsLogged.values().removeIf(at -> Duration.between(at, now).compareTo(reminderEvery) >= 0);
        String message = problem.message() + " File " + file + " stays in the SFTP inbox and is taken again at a later "
                + "poll (an unfinished download is repeated; a file D365 already accepted is only moved, never sent "
                + "again). [" + context + "]";
        if (fileProblemsLogged.putIfAbsent(file + "|" + problem.kind(), now) == null) {
            LOG.warn(message);
        } else {
            LOG.debug("{} [repeated]", message);
        }
    }

    /** True when this exact exception was already reported (Camel hands a failed poll to two places). */
    synchronized boolean alreadyReported(Throwable error) {
        return error != null && error == lastReported;
    }

    /** The problem going on, or null. */
    synchronized SftpProblem current() {
        return current;
    }

    private void log(String message) {
        if (current != null && current.kind().needsAPerson) {
            LOG.error(message);
        } else {
            LOG.warn(message);
        }
    }
}
