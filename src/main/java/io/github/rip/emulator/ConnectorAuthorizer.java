package io.github.rip.emulator;

import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check every connector call passes first: a bearer token signed by the emulator, unexpired, issued for this
 * environment ({@code aud} = base URL, trailing slash tolerated), for a known recurring job whose authorization policy
 * enables the token's app. Failures are D365's 401 JSON; the token itself is never logged.
 */
final class ConnectorAuthorizer {

    /** Who is calling, for which job. */
    record Authorized(RecurringJob job, String appId) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorAuthorizer.class);

    private final AccessTokens tokens;
    private final EmulatorRegistry registry;
    private final String audience;

    ConnectorAuthorizer(AccessTokens tokens, EmulatorRegistry registry, String baseUrl) {
        this.tokens = tokens;
        this.registry = registry;
        this.audience = normalize(baseUrl);
    }

    /** Authorizes a call whose route has an {@code {activityId}} path parameter. */
    Authorized authorize(HttpCall call) {
        String appId = authenticate(call);
        String activityId = call.pathParam("activityId");
        RecurringJob job = registry.job(activityId).orElseThrow(() -> ConnectorError.notFound(
                "Recurring job " + activityId + " was not found. Check the activity ID on the Manage scheduled data"
                        + " jobs page."));
        if (!job.isEnabledFor(appId)) {
            LOG.info("{} {}: app {} is not enabled on recurring job {}", call.method(), call.routeName(), appId,
                    job.activityId());
            throw ConnectorError.notAuthorized(appId, job.activityId());
        }
        return new Authorized(job, appId);
    }

    /**
     * Authorizes an admin call that names no job (fault injection): the same token check, and the app must be enabled
     * on at least one recurring job, the nearest thing to "enabled on the job" when the call affects them all.
     *
     * @return the calling app's id
     */
    String authorizeAdmin(HttpCall call) {
        String appId = authenticate(call);
        if (!registry.isEnabledOnAnyJob(appId)) {
            LOG.info("{} {}: app {} is not enabled on any recurring job", call.method(), call.routeName(), appId);
            throw ConnectorError.notAuthorizedOnAnyJob(appId);
        }
        return appId;
    }

    /**
     * Authorizes a call of the data management package API: the same token check. The API is not tied to a recurring
     * job's authorization policy; D365 only requires the app to be registered (which a token of this emulator proves).
     *
     * @return the calling app's id
     */
    String authorizeDataManagement(HttpCall call) {
        return authenticate(call);
    }

    private String authenticate(HttpCall call) {
        Optional<String> header = call.header("Authorization");
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw reject(call, "No bearer token was sent");
        }
        AccessTokens.Verified verified;
        try {
            verified = tokens.verify(header.get().substring(7).trim());
        } catch (AccessTokens.Rejected e) {
            throw reject(call, e.getMessage());
        }
        if (!audience.equals(normalize(verified.audience()))) {
            throw reject(call, "The token audience " + verified.audience() + " is not this environment ("
                    + audience + ")");
        }
        return verified.appId();
    }

    private static ConnectorError reject(HttpCall call, String reason) {
        LOG.info("{} {}: authentication failed: {}", call.method(), call.routeName(), reason);
        return ConnectorError.authenticationFailed(reason);
    }

    private static String normalize(String url) {
        String u = url == null ? "" : url.trim().toLowerCase(Locale.ROOT);
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
