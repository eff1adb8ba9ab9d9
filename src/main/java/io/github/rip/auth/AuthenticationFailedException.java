package io.github.rip.auth;

import java.time.Instant;
import java.util.Optional;

import io.github.rip.connector.TransientD365Exception;

/**
 * Microsoft Entra ID or D365 refused the runner's identity (wrong secret, unknown app or tenant, app not enabled in
 * D365). A configuration problem, not the file's or the message's: transient for the routes (the file waits in its
 * inbox, the export message in D365), reported once for all of them by {@link AuthStatus}.
 * Carries no cause: the text is all an operator needs, and nothing below it can leak a secret into a log.
 */
public class AuthenticationFailedException extends TransientD365Exception {

    /** The scope of a refusal by the token endpoint: it concerns every job. */
    public static final String ENTRA_ID = "Microsoft Entra ID";
    /** The scope of a refusal by D365 when the recurring data job is not known. */
    public static final String D365 = "D365";

    private final String scope;
    private final String code;
    private final String problem;
    private final String fix;
    private final Instant at = Instant.now();

    /**
     * @param scope   {@link #ENTRA_ID}, or the activity id of the recurring data job D365 refused (else {@link #D365})
     * @param code    what was answered, e.g. AADSTS7000215 or HTTP 401: a new code is a new problem
     * @param problem what was refused, in one sentence (no secret)
     * @param fix     what to change, naming the setting
     */
    public AuthenticationFailedException(String scope, String code, String problem, String fix, Integer httpStatus) {
        super(problem + "\n" + fix, httpStatus, null);
        this.scope = scope;
        this.code = code;
        this.problem = problem;
        this.fix = fix;
    }

    /** The refusal anywhere in a cause chain (Camel wraps what a bean expression throws). */
    public static Optional<AuthenticationFailedException> in(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationFailedException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }

    public String scope() {
        return scope;
    }

    public String code() {
        return code;
    }

    public String problem() {
        return problem;
    }

    public String fix() {
        return fix;
    }

    /** When it was refused: a refusal older than a later success is stale news. */
    public Instant at() {
        return at;
    }
}
