package io.github.rip.auth;

import java.time.Instant;

/**
 * An authentication problem going on, as {@link AuthStatus} reports it (a read-only snapshot, e.g. for a health check).
 *
 * @param scope    {@link AuthenticationFailedException#ENTRA_ID} (the token endpoint: every job), or the activity id of
 *                 the recurring data job D365 refused
 * @param code     what was answered, e.g. AADSTS7000215 or HTTP 401
 * @param problem  what was refused
 * @param fix      what to change, naming the setting
 * @param since    first refusal
 * @param failures refused calls since then
 */
public record AuthProblem(String scope, String code, String problem, String fix, Instant since, long failures) {
}
