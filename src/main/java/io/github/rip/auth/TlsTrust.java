package io.github.rip.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** An SSLContext that trusts the certificates of one PKCS12 trust store (e.g. the emulator's generated certificate). */
public final class TlsTrust {

    private TlsTrust() {
    }

    public static SSLContext fromTrustStore(Path trustStore, String password) throws IOException {
        return sslContext(trustManager(trustStore, password));
    }

    /**
     * The trust manager of a PKCS12 trust store. Loading one costs ~0.1 s at startup (password-based MAC check), so
     * the runner loads it once and hands the same trust manager to msal4j and camel-http.
     */
    public static X509TrustManager trustManager(Path trustStore, String password) throws IOException {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password == null ? null : password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IOException("No X.509 trust manager for trust store " + trustStore);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot load trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    /** A TLS context trusting what the trust manager trusts. */
    public static SSLContext sslContext(X509TrustManager trustManager) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot create a TLS context: " + e.getMessage(), e);
        }
    }
}
