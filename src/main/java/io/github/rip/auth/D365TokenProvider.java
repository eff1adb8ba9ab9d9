package io.github.rip.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.github.rip.connector.TransientD365Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens for D365 from msal4j's confidential client (client secret or certificate), scope {@code <base url>/.default}.
 * Cached here and renewed before expiry (msal4j does not serve its own cache for a non-Microsoft authority), and renewed
 * once when D365 answers 401. Tokens and secrets are never logged.
 * <p>
 * When Microsoft Entra ID refuses the credentials (a 4xx answer: wrong secret, unknown app or tenant), the refusal is
 * an {@link AuthenticationFailedException} naming the setting to fix, and the same answer is given without asking
 * again for {@code retryRefusedAfter}: every file and status check would otherwise hammer the token endpoint with
 * credentials known to be wrong.
 */
public final class D365TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(D365TokenProvider.class);

    private final ConfidentialClientApplication client;
    private final Set<String> scopes;
    private final Duration renewBefore;
    private final AtomicLong acquired = new AtomicLong();
    private final boolean certificate;
    /** Removed from any text of the token endpoint before it can reach a log or the journal. */
    private final String secretToHide;
    private Duration retryRefusedAfter = Duration.ofSeconds(30);
    /** The named environment whose settings a refusal's fix names; null for the default one (d365.*). */
    private String environment;
    private volatile IAuthenticationResult current;
    /** When the runner last obtained a token (null: not yet); the health check asks the endpoint itself only after. */
    private volatile Instant lastAcquiredAt;
    /** The token endpoint's last refusal, and when it may be asked again. */
    private AuthenticationFailedException refused;
    private Instant askAgainAt = Instant.MIN;

    public D365TokenProvider(ConfidentialClientApplication client, String resource, Duration renewBefore) {
        this(client, resource, renewBefore, false, null);
    }

    private D365TokenProvider(ConfidentialClientApplication client, String resource, Duration renewBefore,
                              boolean certificate, String secretToHide) {
        this.client = client;
        this.scopes = Set.of(stripSlash(resource) + "/.default");
        this.renewBefore = renewBefore;
        this.certificate = certificate;
        this.secretToHide = secretToHide == null || secretToHide.isBlank() ? null : secretToHide;
    }

    /** Builds the msal4j client: certificate when a PKCS12 path is given, else the client secret. */
    public static D365TokenProvider create(String authority, String clientId, String clientSecret, Path certificate,
                                           String certificatePassword, String resource, Duration renewBefore,
                                           SSLContext trust) throws IOException {
        IClientCredential credential;
        if (certificate != null) {
            try (InputStream in = Files.newInputStream(certificate)) {
                credential = ClientCredentialFactory.createFromCertificate(in,
                        certificatePassword == null ? "" : certificatePassword);
            } catch (Exception e) {
                throw new IOException("Cannot read the client certificate " + certificate + ": " + e.getMessage(), e);
            }
        } else if (clientSecret != null && !clientSecret.isBlank()) {
            credential = ClientCredentialFactory.createFromSecret(clientSecret);
        } else {
            throw new IllegalStateException("No D365 credential: set D365_CLIENT_SECRET (or D365_CLIENT_SECRET_FILE) "
                    + "or D365_CERTIFICATE_PATH");
        }
        ConfidentialClientApplication.Builder builder = ConfidentialClientApplication.builder(clientId, credential)
                .authority(authority)
                .instanceDiscovery(isMicrosoftHost(authority))
                .validateAuthority(isMicrosoftHost(authority));
        if (trust != null) {
            builder.sslSocketFactory(trust.getSocketFactory());
        }
        return new D365TokenProvider(builder.build(), resource, renewBefore, certificate != null,
                certificate != null ? null : clientSecret);
    }

    /** The value of the Authorization header. */
    public String bearerHeader() {
        return "Bearer " + token();
    }

    /** A valid access token, from the cache unless it expires within the renewal margin. */
    public String token() {
        IAuthenticationResult result = current;
        if (result == null || needsRenewal(result)) {
            result = acquire(result);
        }
        return result.accessToken();
    }

    /** D365 refused the current token (401): forget it so the next call gets a fresh one. */
    public synchronized void renew() {
        LOG.info("D365 refused the bearer token; a new one will be requested");
        current = null;
    }

    /**
     * D365 refused the token in this Authorization header (401). Forgotten only if it is still the current one: when
     * several routes get a 401 at once, the first renews and the others use its fresh token.
     */
    public synchronized void renew(@org.apache.camel.Header("Authorization") String rejectedHeader) {
        IAuthenticationResult result = current;
        if (result != null && rejectedHeader != null && !rejectedHeader.equals("Bearer " + result.accessToken())) {
            return;
        }
        renew();
    }

    /** When the runner last obtained a token from the token endpoint, or null before the first. */
    public Instant lastAcquiredAt() {
        return lastAcquiredAt;
    }

    /** How many tokens were obtained from the token endpoint since start. */
    public long tokensAcquired() {
        return acquired.get();
    }

    /**
     * Asks the token endpoint for a new token, bypassing and keeping the cached one (a health check: the cache would
     * hide an endpoint that stopped answering). Not counted in {@link #tokensAcquired}. Returns null when a token came
     * back, else what went wrong in an operator's words (a refusal names the setting to fix); never a secret or token.
     */
    public String probeTokenEndpoint() {
        try {
            client.acquireToken(ClientCredentialParameters.builder(scopes).skipCache(true).build())
                    .get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            MsalServiceException answer = serviceAnswer(cause);
            if (answer != null && isRefusal(answer.statusCode())) {
                AuthenticationFailedException refusal = fromTokenEndpoint(answer);
                return refusal.problem() + " " + refusal.fix();
            }
            return "The token endpoint did not give a token" + (answer != null && answer.statusCode() != null
                    ? " (HTTP " + answer.statusCode() + ")" : "") + ": " + hideSecret(cause.getMessage());
        } catch (TimeoutException e) {
            return "The token endpoint did not answer within 30 s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Interrupted while asking the token endpoint";
        }
    }

    /**
     * This provider serves a named D365 environment: a refusal names its settings
     * (d365.environments.test.client-secret, D365_ENVIRONMENTS_TEST_CLIENT_SECRET) instead of the default one's.
     */
    public void setEnvironment(String environment) {
        this.environment = environment == null || environment.isBlank() ? null : environment.trim();
    }

    private AuthenticationFailedException fromTokenEndpoint(MsalServiceException answer) {
        AuthenticationFailedException refusal = AuthenticationFailures.fromTokenEndpoint(answer.errorCode(),
                answer.statusCode(), hideSecret(answer.getMessage()), certificate);
        if (environment == null) {
            return refusal;
        }
        String fix = refusal.fix().replace("d365.", "d365.environments." + environment + ".")
                .replace("D365_", "D365_ENVIRONMENTS_" + environment.toUpperCase(java.util.Locale.ROOT)
                        .replace('-', '_') + "_");
        return new AuthenticationFailedException(refusal.scope(), refusal.code(), refusal.problem(), fix,
                refusal.httpStatus());
    }

    /** How long a refusal of the token endpoint is repeated without asking it again. */
    public void setRetryRefusedAfter(Duration retryRefusedAfter) {
        this.retryRefusedAfter = retryRefusedAfter;
    }

    private synchronized IAuthenticationResult acquire(IAuthenticationResult seen) {
        if (current != null && current != seen && !needsRenewal(current)) {
            return current; // another thread renewed it meanwhile
        }
        if (refused != null && Instant.now().isBefore(askAgainAt)) {
            throw new AuthenticationFailedException(refused.scope(), refused.code(), refused.problem(), refused.fix(),
                    refused.httpStatus());
        }
        try {
            IAuthenticationResult result = client.acquireToken(ClientCredentialParameters.builder(scopes).build())
                    .get(60, TimeUnit.SECONDS);
            acquired.incrementAndGet();
            lastAcquiredAt = Instant.now();
            LOG.debug("Obtained a D365 token valid until {}", result.expiresOnDate().toInstant());
            current = result;
            refused = null;
            return result;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            MsalServiceException answer = serviceAnswer(cause);
            if (answer != null && isRefusal(answer.statusCode())) {
                refused = fromTokenEndpoint(answer);
                askAgainAt = Instant.now().plus(retryRefusedAfter);
                throw refused;
            }
            throw new TransientD365Exception("Cannot obtain a token for " + scopes + ": "
                    + hideSecret(cause.getMessage()), cause);
        } catch (TimeoutException e) {
            throw new TransientD365Exception("The token endpoint did not answer within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientD365Exception("Interrupted while obtaining a token", e);
        }
    }

    private static MsalServiceException serviceAnswer(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof MsalServiceException answer) {
                return answer;
            }
        }
        return null;
    }

    /** 4xx but 408/429: the credentials or the names are wrong; 5xx, throttling and network problems may pass. */
    private static boolean isRefusal(Integer status) {
        return status != null && status >= 400 && status < 500 && status != 408 && status != 429;
    }

    private String hideSecret(String text) {
        return secretToHide == null || text == null ? text : text.replace(secretToHide, "[client secret]");
    }

    private boolean needsRenewal(IAuthenticationResult result) {
        Instant expires = result.expiresOnDate().toInstant();
        return Instant.now().plus(renewBefore).isAfter(expires);
    }

    private static boolean isMicrosoftHost(String authority) {
        return authority.startsWith("https://login.microsoftonline.") || authority.startsWith("https://login.windows.net")
                || authority.startsWith("https://login.partner.microsoftonline.cn")
                || authority.startsWith("https://login.microsoftonline.us");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
