package io.github.rip.emulator;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Shared helpers for the emulator tests: a fast config, a client trusting the emulator, tokens via msal4j. */
final class EmulatorTestSupport {

    static final String TENANT = "72f9e1c0-0000-4000-8000-00000000a001";
    static final String APP_ID = "0a1b2c3d-0000-4000-8000-00000000a001";
    static final String SECRET = "test-secret-value";
    static final String OTHER_APP_ID = "0a1b2c3d-0000-4000-8000-00000000a002";
    static final String OTHER_SECRET = "other-secret";
    static final String CSV_JOB = "6D31E09F-0000-4000-8000-0000000000C1";
    static final String XML_JOB = "6d31e09f-0000-4000-8000-0000000000c2";
    static final String PACKAGE_JOB = "6d31e09f-0000-4000-8000-0000000000c3";

    private EmulatorTestSupport() {
    }

    /** Two apps (only the first enabled on the jobs), CSV / XML / package jobs, fast processing. */
    static EmulatorConfig.Builder config(Path dataDir) {
        Set<String> apps = Set.of(APP_ID);
        return EmulatorConfig.builder()
                .dataDir(dataDir)
                .tenant(TENANT)
                .processingDelay(Duration.ofMillis(200))
                .processingTime(Duration.ofMillis(100))
                .app(AppRegistration.withSecret(APP_ID, SECRET))
                .app(AppRegistration.withSecret(OTHER_APP_ID, OTHER_SECRET))
                .job(RecurringJob.fileImport(CSV_JOB, "Customer groups", "Customer groups", RecurringJob.FileFormat.CSV,
                        apps))
                .job(RecurringJob.fileImport(XML_JOB, "Vendor groups", "Vendor groups", RecurringJob.FileFormat.XML,
                        apps))
                .job(RecurringJob.packageImport(PACKAGE_JOB, "Master data", apps))
                .entitySchema("Customer groups", java.util.List.of("CUSTOMERGROUPID", "DESCRIPTION"))
                .entitySchema("Vendor groups", java.util.List.of("VENDORGROUPID", "DESCRIPTION"));
    }

    static SSLContext trusting(D365Emulator emulator) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(emulator.trustStore())) {
            store.load(in, emulator.trustStorePassword().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    static HttpClient httpClient(D365Emulator emulator) throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(emulator)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static ConfidentialClientApplication msal(D365Emulator emulator, String appId, IClientCredential credential)
            throws Exception {
        return ConfidentialClientApplication.builder(appId, credential)
                .authority(emulator.authority())
                .validateAuthority(false)
                .instanceDiscovery(false)
                .sslSocketFactory(trusting(emulator).getSocketFactory())
                .build();
    }

    /** A token for {@code resource} through msal4j with a client secret. */
    static String token(D365Emulator emulator, String appId, String secret, String resource) throws Exception {
        return msal(emulator, appId, ClientCredentialFactory.createFromSecret(secret))
                .acquireToken(ClientCredentialParameters.builder(Set.of(resource + "/.default")).build())
                .get().accessToken();
    }

    /** A token for the emulator's environment for the enabled app. */
    static String token(D365Emulator emulator) throws Exception {
        return token(emulator, APP_ID, SECRET, emulator.baseUrl());
    }

    static HttpResponse<String> enqueue(HttpClient client, D365Emulator emulator, String token, String pathAndQuery,
                                        byte[] body, String externalId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (externalId != null) {
            request.header("x-ms-dyn-externalidentifier", externalId);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(HttpClient client, D365Emulator emulator, String token, String pathAndQuery)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + pathAndQuery)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The message id from an enqueue body, with quotes and braces stripped as clients do. */
    static String messageId(HttpResponse<String> enqueueResponse) {
        return enqueueResponse.body().replace("\"", "").replace("{", "").replace("}", "");
    }

    /** Polls jobstatus until the message is in a terminal state; returns that DataJobStatusDetail. */
    static JsonNode awaitTerminal(HttpClient client, D365Emulator emulator, String token, String activity,
                                  String messageId) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            HttpResponse<String> r = get(client, emulator, token, "/api/connector/jobstatus/" + activity + "?jobId="
                    + messageId);
            if (r.statusCode() != 200) {
                throw new AssertionError("jobstatus " + r.statusCode() + ": " + r.body());
            }
            JsonNode status = Json.MAPPER.readTree(r.body());
            last.set(status);
            int state = status.path("DataJobStatus").path("DataJobState").asInt();
            return state >= 5;
        });
        return last.get();
    }

    /** An RSA key pair and a self-signed certificate for it, as an admin would upload to an app registration. */
    record AppCertificate(KeyPair keys, X509Certificate certificate) {
        static AppCertificate generate(String cn) throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + cn);
            Instant now = Instant.now();
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(Duration.ofDays(365))), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new AppCertificate(keys, cert);
        }
    }
}
