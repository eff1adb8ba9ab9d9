package io.github.rip.emulator;

import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * An Entra ID app registration known to the emulator's token endpoint: a client id with a secret, a certificate, or both.
 *
 * @param appId       the application (client) id; compared case-insensitively
 * @param secret      the client secret, null if the app only authenticates with a certificate
 * @param certificate the certificate whose private key signs client assertions, null if secret-only
 */
public record AppRegistration(String appId, String secret, X509Certificate certificate) {

    public AppRegistration {
        if (appId == null || appId.isBlank()) {
            throw new IllegalArgumentException("An app registration needs an appId");
        }
        appId = appId.trim().toLowerCase(Locale.ROOT);
        secret = secret == null || secret.isEmpty() ? null : secret;
    }

    /** An app that authenticates with a client secret. */
    public static AppRegistration withSecret(String appId, String secret) {
        return new AppRegistration(appId, secret, null);
    }

    /** An app that authenticates with a certificate (client assertion). */
    public static AppRegistration withCertificate(String appId, X509Certificate certificate) {
        return new AppRegistration(appId, null, certificate);
    }

    /** Never prints the secret: configs and registrations end up in logs. */
    @Override
    public String toString() {
        return "AppRegistration[appId=" + appId + ", secret=" + (secret == null ? "none" : "***")
                + ", certificate=" + (certificate == null ? "none" : certificate.getSubjectX500Principal()) + "]";
    }
}
