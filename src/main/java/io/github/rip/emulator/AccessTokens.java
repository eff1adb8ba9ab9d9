package io.github.rip.emulator;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Issues the emulator's RS256 access tokens and verifies bearer tokens presented to the connector API. */
final class AccessTokens {

    /** What a verified bearer token says. */
    record Verified(String appId, String audience) {
    }

    /** A bearer token that must be refused; {@code reason} is for logs and WWW-Authenticate, never the token. */
    static final class Rejected extends Exception {
        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    private final RSAKey signingKey;
    private final String issuer;
    private final String tenant;
    private final Duration lifetime;
    private final Duration clockSkew;
    private final Clock clock;
    private final AtomicInteger issued = new AtomicInteger();
    private final TokenFingerprints fingerprints = new TokenFingerprints();

    AccessTokens(RSAKey signingKey, String issuer, String tenant, Duration lifetime, Duration clockSkew, Clock clock) {
        this.signingKey = signingKey;
        this.issuer = issuer;
        this.tenant = tenant;
        this.lifetime = lifetime;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** An app-only token like Entra's: aud = resource, appid/azp = client, appidacr 1 (secret) or 2 (certificate). */
    String issue(String appId, String resource, boolean certificateCredential) {
        Instant now = clock.instant();
        String objectId = UUID.nameUUIDFromBytes(("app:" + appId).getBytes(StandardCharsets.UTF_8)).toString();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience(resource)
                .issuer(issuer)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .subject(objectId)
                .claim("appid", appId)
                .claim("azp", appId)
                .claim("appidacr", certificateCredential ? "2" : "1")
                .claim("azpacr", certificateCredential ? "2" : "1")
                .claim("idtyp", "app")
                .claim("oid", objectId)
                .claim("tid", tenant)
                .claim("uti", UUID.randomUUID().toString().replace("-", ""))
                .claim("ver", "2.0")
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(signingKey.getKeyID()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign access token", e);
        }
        issued.incrementAndGet();
        String token = jwt.serialize();
        fingerprints.issued(token);
        return token;
    }

    /** Fingerprints of the tokens issued and presented since start. */
    TokenFingerprints fingerprints() {
        return fingerprints;
    }

    /** Tokens issued since start, so tests can check that a client reuses its token. */
    int issuedCount() {
        return issued.get();
    }

    /** Checks signature (emulator key), exp and nbf; the caller checks the audience. */
    Verified verify(String token) throws Rejected {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Rejected("The token is not a well-formed JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new Rejected("The token is not signed with RS256");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(signingKey.toRSAPublicKey()))) {
                throw new Rejected("The token signature is invalid");
            }
        } catch (JOSEException e) {
            throw new Rejected("The token signature cannot be verified");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().plus(clockSkew).isAfter(now)) {
            throw new Rejected("The token is expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(clockSkew).isAfter(now)) {
            throw new Rejected("The token is not yet valid");
        }
        Object appId = claims.getClaim("appid");
        if (appId == null) {
            appId = claims.getClaim("azp");
        }
        if (appId == null) {
            throw new Rejected("The token has no appid claim");
        }
        String audience = claims.getAudience().isEmpty() ? null : claims.getAudience().get(0);
        return new Verified(String.valueOf(appId).toLowerCase(Locale.ROOT), audience);
    }
}
