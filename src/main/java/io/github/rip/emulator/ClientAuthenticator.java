package io.github.rip.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Authenticates a confidential client at the token endpoint like Entra ID: {@code client_secret}, or a
 * {@code client_assertion} JWT signed with the registered certificate's key (as msal4j's
 * {@code ClientCredentialFactory.createFromCertificate} builds it: RS256, x5t or x5t#S256, aud = token endpoint,
 * iss = sub = client id). AADSTS codes 7000215, 700016, 700027, 700024 and 700023 are the ones Entra is seen to
 * send; the codes for the rarer malformed-request cases are best guesses.
 */
final class ClientAuthenticator {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** The authenticated app and whether it proved itself with a certificate. */
    record Authenticated(AppRegistration app, boolean certificate) {
    }

    private final EmulatorRegistry registry;
    private final String tenant;
    private final Clock clock;

    ClientAuthenticator(EmulatorRegistry registry, String tenant, Clock clock) {
        this.registry = registry;
        this.tenant = tenant;
        this.clock = clock;
    }

    /**
     * @param form              the decoded token request
     * @param tokenEndpointUrls the URLs a client assertion's {@code aud} may name (this endpoint, any spelling)
     */
    Authenticated authenticate(Map<String, String> form, Collection<String> tokenEndpointUrls) {
        String clientId = form.get("client_id");
        if (clientId == null || clientId.isBlank()) {
            throw EntraError.invalidRequest(900144, "The request body must contain the following parameter: 'client_id'.");
        }
        AppRegistration app = registry.app(clientId).orElseThrow(() -> EntraError.unauthorizedClient(700016,
                "Application with identifier '" + clientId + "' was not found in the directory '" + tenant
                        + "'. This can happen if the application has not been installed by the administrator of the"
                        + " tenant or consented to by any user in the tenant. You may have sent your authentication"
                        + " request to the wrong tenant."));
        String secret = form.get("client_secret");
        String assertion = form.get("client_assertion");
        if (secret != null && assertion != null) {
            throw EntraError.invalidRequest(50027, "Only one client authentication method may be used per request:"
                    + " send either 'client_secret' or 'client_assertion'.");
        }
        if (secret != null) {
            checkSecret(app, secret);
            return new Authenticated(app, false);
        }
        if (assertion != null) {
            if (!JWT_BEARER.equals(form.get("client_assertion_type"))) {
                throw EntraError.invalidRequest(50027, "Invalid client_assertion_type '"
                        + form.get("client_assertion_type") + "'; expected '" + JWT_BEARER + "'.");
            }
            checkAssertion(app, assertion, tokenEndpointUrls);
            return new Authenticated(app, true);
        }
        throw EntraError.invalidClient(7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }

    private static void checkSecret(AppRegistration app, String presented) {
        boolean matches = app.secret() != null && MessageDigest.isEqual(
                app.secret().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
        if (!matches) {
            throw EntraError.invalidClient(7000215, "Invalid client secret provided. Ensure the secret being sent in"
                    + " the request is the client secret value, not the client secret ID, for a secret added to app '"
                    + app.appId() + "'.");
        }
    }

    private void checkAssertion(AppRegistration app, String assertion, Collection<String> tokenEndpointUrls) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw EntraError.invalidClient(50027, "Invalid JWT token. Token format not valid.");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm()) && !JWSAlgorithm.PS256.equals(header.getAlgorithm())) {
            throw EntraError.invalidClient(50027, "Invalid JWT token. Unsupported signing algorithm "
                    + header.getAlgorithm() + ".");
        }
        X509Certificate cert = app.certificate();
        String presented = presentedThumbprint(header);
        if (presented == null) {
            throw EntraError.invalidClient(50027, "Invalid JWT token. No certificate thumbprint specified in token header.");
        }
        if (cert == null || !presentedMatches(header, cert)) {
            throw EntraError.invalidClient(700027, "Client assertion contains an invalid signature. [Reason - The key"
                    + " was not found., Thumbprint of key used by client: '" + presented + "', Please visit the"
                    + " emulator configuration to see configured keys for app Id '" + app.appId() + "'.]");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier((RSAPublicKey) cert.getPublicKey()))) {
                throw EntraError.invalidClient(700027, "Client assertion contains an invalid signature. [Reason - The"
                        + " provided signature value did not match the expected signature value., Thumbprint of key"
                        + " used by client: '" + presented + "']");
            }
        } catch (JOSEException | ClassCastException e) {
            throw EntraError.invalidClient(700027, "Client assertion contains an invalid signature. [Reason - "
                    + e.getMessage() + "]");
        }
        if (!app.appId().equalsIgnoreCase(String.valueOf(claims.getIssuer()))
                || !app.appId().equalsIgnoreCase(String.valueOf(claims.getSubject()))) {
            throw EntraError.invalidClient(700021, "Client assertion application identifier doesn't match"
                    + " 'client_id' parameter: 'iss' and 'sub' must both be '" + app.appId() + "'.");
        }
        List<String> audiences = claims.getAudience();
        boolean audienceOk = audiences.stream().map(ClientAuthenticator::normalizeUrl)
                .anyMatch(a -> tokenEndpointUrls.stream().map(ClientAuthenticator::normalizeUrl).anyMatch(a::equals));
        if (!audienceOk) {
            throw EntraError.invalidClient(700023, "Client assertion audience claim does not match Realm issuer."
                    + " The assertion's aud was " + audiences + "; expected the token endpoint "
                    + tokenEndpointUrls.iterator().next() + ".");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if (exp == null || !exp.toInstant().isAfter(now) || (nbf != null && nbf.toInstant().isAfter(now))) {
            throw EntraError.invalidClient(700024, "Client assertion is not within its valid time range. Current time: "
                    + now + ", assertion valid from " + (nbf == null ? "-" : nbf.toInstant()) + ", expiry time of"
                    + " assertion " + (exp == null ? "-" : exp.toInstant()) + ".");
        }
    }

    /** The SHA-1 thumbprint (hex, upper case) the client says it used, as Entra prints it. */
    private static String presentedThumbprint(JWSHeader header) {
        @SuppressWarnings("deprecation")
        Base64URL sha1 = header.getX509CertThumbprint();
        if (sha1 != null) {
            return HexFormat.of().withUpperCase().formatHex(sha1.decode());
        }
        if (header.getX509CertSHA256Thumbprint() != null) {
            return HexFormat.of().withUpperCase().formatHex(header.getX509CertSHA256Thumbprint().decode());
        }
        List<Base64> chain = header.getX509CertChain();
        return chain == null || chain.isEmpty() ? null : HexFormat.of().withUpperCase().formatHex(digest("SHA-1",
                chain.get(0).decode()));
    }

    private static boolean presentedMatches(JWSHeader header, X509Certificate cert) {
        byte[] der;
        try {
            der = cert.getEncoded();
        } catch (CertificateEncodingException e) {
            return false;
        }
        @SuppressWarnings("deprecation")
        Base64URL sha1 = header.getX509CertThumbprint();
        if (sha1 != null) {
            return MessageDigest.isEqual(sha1.decode(), digest("SHA-1", der));
        }
        if (header.getX509CertSHA256Thumbprint() != null) {
            return MessageDigest.isEqual(header.getX509CertSHA256Thumbprint().decode(), digest("SHA-256", der));
        }
        return MessageDigest.isEqual(header.getX509CertChain().get(0).decode(), der);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String normalizeUrl(String url) {
        String u = url == null ? "" : url.trim().toLowerCase(Locale.ROOT);
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
