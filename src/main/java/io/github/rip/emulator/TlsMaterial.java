package io.github.rip.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's self-signed TLS certificate, generated once and kept in {@code <dataDir>/tls/} so clients that trust
 * it keep working across restarts. Also writes a trust store (and a PEM copy for curl) holding only that certificate.
 */
final class TlsMaterial {

    static final String KEY_STORE_FILE = "emulator-tls.p12";
    static final String TRUST_STORE_FILE = "emulator-truststore.p12";
    static final String CERTIFICATE_PEM_FILE = "emulator-tls.crt";
    /** The trust store only holds a public certificate; its password protects nothing and is fixed for clients. */
    static final String TRUST_STORE_PASSWORD = "emulator";

    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
    private static final String PASSWORD_FILE = "emulator-tls.password";
    private static final String ALIAS = "emulator";
    private static final Duration VALIDITY = Duration.ofDays(3650);
    /** Regenerate a little before expiry rather than serve an expired certificate. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final Path trustStore;
    private final SSLContext sslContext;
    private final X509Certificate certificate;

    private TlsMaterial(Path trustStore, SSLContext sslContext, X509Certificate certificate) {
        this.trustStore = trustStore;
        this.sslContext = sslContext;
        this.certificate = certificate;
    }

    /** Loads the stored certificate, or creates one when missing, near expiry or not covering {@code host}. */
    static TlsMaterial loadOrCreate(Path tlsDir, String host) throws IOException {
        Files.createDirectories(tlsDir);
        Path keyStoreFile = tlsDir.resolve(KEY_STORE_FILE);
        Path passwordFile = tlsDir.resolve(PASSWORD_FILE);
        Set<String> names = subjectNames(host);
        try {
            KeyStore keyStore = null;
            char[] password = null;
            if (Files.exists(keyStoreFile) && Files.exists(passwordFile)) {
                password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim().toCharArray();
                keyStore = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(keyStoreFile)) {
                    keyStore.load(in, password);
                }
                if (!stillUsable((X509Certificate) keyStore.getCertificate(ALIAS), names)) {
                    LOG.info("Emulator TLS certificate expires soon or does not cover {}; generating a new one", names);
                    keyStore = null;
                }
            }
            if (keyStore == null) {
                password = newPassword();
                keyStore = generate(names, password);
                DataFiles.writeAtomically(passwordFile, new String(password).getBytes(StandardCharsets.UTF_8), true);
                DataFiles.writeAtomically(keyStoreFile, toBytes(keyStore, password), true);
                LOG.info("Generated emulator TLS certificate {} for {}", keyStoreFile, names);
            }
            X509Certificate cert = (X509Certificate) keyStore.getCertificate(ALIAS);
            Path trustStoreFile = tlsDir.resolve(TRUST_STORE_FILE);
            writeTrustStore(trustStoreFile, cert);
            DataFiles.writeAtomically(tlsDir.resolve(CERTIFICATE_PEM_FILE), pem(cert), false);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return new TlsMaterial(trustStoreFile, context, cert);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("Cannot set up the emulator's TLS certificate in " + tlsDir + ": " + e.getMessage(), e);
        }
    }

    SSLContext sslContext() {
        return sslContext;
    }

    Path trustStore() {
        return trustStore;
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** localhost and 127.0.0.1 always, plus the bound host when it is a specific other name or address. */
    private static Set<String> subjectNames(String host) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        if (host != null && !host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
            names.add(host);
        }
        return names;
    }

    private static boolean stillUsable(X509Certificate cert, Set<String> names) throws GeneralSecurityException {
        if (cert == null || cert.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
            return false;
        }
        Set<String> covered = new LinkedHashSet<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
            sans.forEach(san -> covered.add(String.valueOf(san.get(1))));
        }
        return covered.containsAll(names);
    }

    private static KeyStore generate(Set<String> names, char[] password)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keyPair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=localhost");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, keyPair.getPublic());
        List<GeneralName> sans = new ArrayList<>();
        for (String name : names) {
            boolean ip = name.chars().allMatch(c -> Character.isDigit(c) || c == '.') || name.contains(":");
            sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName,
                    ip ? InetAddress.getByName(name).getHostAddress() : name));
        }
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(sans.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keyPair.getPublic()));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(ALIAS, keyPair.getPrivate(), password, new Certificate[] {cert});
        return keyStore;
    }

    private static void writeTrustStore(Path file, X509Certificate cert) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(ALIAS, cert);
        DataFiles.writeAtomically(file, toBytes(trust, TRUST_STORE_PASSWORD.toCharArray()), false);
    }

    private static byte[] toBytes(KeyStore store, char[] password) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return out.toByteArray();
    }

    private static byte[] pem(X509Certificate cert) throws GeneralSecurityException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded());
        return ("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static char[] newPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random).toCharArray();
    }
}
