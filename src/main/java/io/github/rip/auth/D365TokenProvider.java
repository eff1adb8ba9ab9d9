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
import io.github.rip.importing.TransientD365Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens for D365 from msal4j's confidential client (client secret or certificate), scope {@code <base url>/.default}.
 * Cached here and renewed before expiry (msal4j does not serve its own cache for a non-Microsoft authority), and renewed
 * once when D365 answers 401. Tokens and secrets are never logged.
 */
public final class D365TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(D365TokenProvider.class);

    private final ConfidentialClientApplication client;
    private final Set<String> scopes;
    private final Duration renewBefore;
    private final AtomicLong acquired = new AtomicLong();
    private volatile IAuthenticationResult current;

    public D365TokenProvider(ConfidentialClientApplication client, String resource, Duration renewBefore) {
        this.client = client;
        this.scopes = Set.of(stripSlash(resource) + "/.default");
        this.renewBefore = renewBefore;
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
        return new D365TokenProvider(builder.build(), resource, renewBefore);
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

    /** How many tokens were obtained from the token endpoint since start. */
    public long tokensAcquired() {
        return acquired.get();
    }

    private synchronized IAuthenticationResult acquire(IAuthenticationResult seen) {
        if (current != null && current != seen && !needsRenewal(current)) {
            return current; // another thread renewed it meanwhile
        }
        try {
            IAuthenticationResult result = client.acquireToken(ClientCredentialParameters.builder(scopes).build())
                    .get(60, TimeUnit.SECONDS);
            acquired.incrementAndGet();
            LOG.debug("Obtained a D365 token valid until {}", result.expiresOnDate().toInstant());
            current = result;
            return result;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new TransientD365Exception("Cannot obtain a token for " + scopes + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new TransientD365Exception("The token endpoint did not answer within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientD365Exception("Interrupted while obtaining a token", e);
        }
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
