package io.github.rip.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.rip.support.DurationText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Microsoft Entra ID and D365 accept the runner's identity. A refusal is the same for every file and every
 * poll, so it is said once as an ERROR naming the setting to fix, reminded every {@code reminderEvery} while it
 * lasts, and its end is said once. Bound as {@code d365Auth}; {@link #problems()} is what a health check can read.
 */
public final class AuthStatus {

    private static final Logger LOG = LoggerFactory.getLogger(AuthStatus.class);

    /** The application (and its environment when named), as the log lines name it. */
    private final String clientId;
    private final Duration reminderEvery;
    /** By scope: Entra ID (every job) or a recurring data job's activity id (D365 refused that job only). */
    private final Map<String, Ongoing> ongoing = new LinkedHashMap<>();
    private final Map<String, Instant> clearedAt = new HashMap<>();
    /** Read without the lock by every successful D365 call. */
    private volatile boolean anyProblem;

    private static final class Ongoing {
        private AuthenticationFailedException latest;
        private final Instant since;
        private Instant lastLogged;
        private long failures = 1;

        private Ongoing(AuthenticationFailedException latest, Instant now) {
            this.latest = latest;
            this.since = now;
            this.lastLogged = now;
        }
    }

    public AuthStatus(String clientId, Duration reminderEvery) {
        this(clientId, null, reminderEvery);
    }

    /** @param environment the named D365 environment this status is about; null for the default one */
    public AuthStatus(String clientId, String environment, Duration reminderEvery) {
        this.clientId = environment == null ? clientId : clientId + " in D365 environment '" + environment + "'";
        this.reminderEvery = reminderEvery;
    }

    /** A call was refused: a new problem is logged at once, a known one only as a reminder now and then. */
    public synchronized void failed(AuthenticationFailedException refusal) {
        Instant cleared = clearedAt.get(refusal.scope());
        if (cleared != null && refusal.at().isBefore(cleared)) {
            LOG.debug("Refusal from before authentication worked again, ignored: {}", refusal.problem());
            return;
        }
        Instant now = Instant.now();
        Ongoing known = ongoing.get(refusal.scope());
        if (known == null || !known.latest.code().equals(refusal.code())) {
            ongoing.put(refusal.scope(), new Ongoing(refusal, now));
            anyProblem = true;
            LOG.error("D365 authentication failed for application {}{}: {} {} Files wait in their inbox and export "
                    + "messages in D365, and are tried again as usual; nothing is moved to failed/ for this. "
                    + "(Said again every {} while it lasts.)", clientId, where(refusal.scope()), refusal.problem(),
                    refusal.fix(), DurationText.of(reminderEvery));
            return;
        }
        known.latest = refusal;
        known.failures++;
        if (Duration.between(known.lastLogged, now).compareTo(reminderEvery) >= 0) {
            known.lastLogged = now;
            LOG.error("D365 authentication still fails for application {}{} [since {}, {} refused calls]: {} {}",
                    clientId, where(refusal.scope()), known.since, known.failures, refusal.problem(), refusal.fix());
        } else {
            LOG.debug("D365 authentication refused again{}: {}", where(refusal.scope()), refusal.problem());
        }
    }

    /** D365 answered a call for this recurring data job: the token is good, and the job lets the app in. */
    public void succeeded(String activityId) {
        if (!anyProblem) {
            return;
        }
        synchronized (this) {
            clear(AuthenticationFailedException.ENTRA_ID);
            clear(AuthenticationFailedException.D365);
            if (activityId != null) {
                clear(activityId);
            }
            anyProblem = !ongoing.isEmpty();
        }
    }

    /** The problems going on, oldest first; empty when authentication works. */
    public synchronized List<AuthProblem> problems() {
        return ongoing.entrySet().stream().map(e -> new AuthProblem(e.getKey(), e.getValue().latest.code(),
                e.getValue().latest.problem(), e.getValue().latest.fix(), e.getValue().since, e.getValue().failures))
                .toList();
    }

    /** The oldest problem going on, if any. */
    public Optional<AuthProblem> current() {
        return problems().stream().findFirst();
    }

    private void clear(String scope) {
        Ongoing over = ongoing.remove(scope);
        if (over != null) {
            clearedAt.put(scope, Instant.now());
            LOG.info("D365 authentication works again for application {}{} (refused {} time(s) since {})", clientId,
                    where(scope), over.failures, over.since);
        }
    }

    private static String where(String scope) {
        return AuthenticationFailedException.ENTRA_ID.equals(scope) || AuthenticationFailedException.D365.equals(scope)
                ? "" : " on recurring data job " + scope;
    }
}
