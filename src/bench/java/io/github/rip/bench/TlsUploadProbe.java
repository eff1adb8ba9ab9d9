package io.github.rip.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactoryBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.FileEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.SocketConfig;

/**
 * Measures one large upload to the emulator with Apache HttpClient 5 (what camel-http uses) under one TLS setting, to
 * pick the runner's settings by numbers (docs/performance.md, "Round 2"). Not a scenario: run by hand, alternating
 * settings, against a running emulator ({@link BenchEmulator}), with the BENCH_* environment of {@link D365Client} plus
 * BENCH_ACTIVITY (an import activity id):
 * {@code java -cp <fat jar>:<bench classes>[:conscrypt-openjdk-uber-2.5.2.jar] io.github.rip.bench.TlsUploadProbe
 * <file> <jdk|conscrypt> <default|gcm|chacha> <length|chunked> <writeBytes> <repeats>}.
 * Prints one line per upload (the first warms up the JIT and the connection): seconds, MB/s and the JVM's CPU seconds.
 */
public final class TlsUploadProbe {

    private TlsUploadProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String provider = args[1];
        String cipher = args[2];
        boolean chunked = args[3].equals("chunked");
        int buffer = Integer.parseInt(args[4]);
        int repeats = Integer.parseInt(args[5]);
        D365Client d365 = D365Client.fromEnvironment();
        String token = d365.token();
        SSLContext ssl = sslContext(provider, Path.of(D365Client.env("BENCH_TRUSTSTORE")));
        String[] suites = switch (cipher) {
            case "gcm" -> new String[] {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"};
            case "chacha" -> new String[] {"TLS_CHACHA20_POLY1305_SHA256"};
            default -> null;
        };
        try (CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setSSLSocketFactory(SSLConnectionSocketFactoryBuilder.create().setSslContext(ssl)
                                .setCiphers(suites).build())
                        .setDefaultSocketConfig(SocketConfig.custom().setSndBufSize(buffer > 8192 ? buffer : 0)
                                .build())
                        .build())
                .build()) {
            for (int i = 0; i < repeats + 1; i++) { // the first upload warms up the JIT and the connection
                HttpPost post = new HttpPost(d365.baseUrl + "/api/connector/enqueue/" + D365Client.env("BENCH_ACTIVITY")
                        + "?entity=Customer%20groups&company=usmf");
                post.setHeader("Authorization", "Bearer " + token);
                post.setHeader("x-ms-dyn-externalidentifier", "probe-" + i);
                post.setEntity(chunked
                        ? new InputStreamEntity(new java.io.BufferedInputStream(Files.newInputStream(file), buffer), -1,
                                ContentType.APPLICATION_OCTET_STREAM)
                        : new FileEntity(file.toFile(), ContentType.APPLICATION_OCTET_STREAM) {
                            @Override
                            public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                                // FileEntity copies in 4 KB pieces; a bigger buffer means bigger TLS records
                                try (var in = Files.newInputStream(file)) {
                                    byte[] b = new byte[buffer];
                                    int n;
                                    while ((n = in.read(b)) != -1) {
                                        out.write(b, 0, n);
                                    }
                                }
                            }
                        });
                long t0 = System.nanoTime();
                long cpu0 = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime();
                int status = http.execute(post, response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getCode();
                });
                double s = (System.nanoTime() - t0) / 1e9;
                if (status != 200) {
                    throw new IllegalStateException("HTTP " + status);
                }
                double cpu = (((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime() - cpu0) / 1e9;
                System.out.printf("PROBE %s %s %s buf=%d %s %.2f s %.0f MB/s client CPU %.2f s%n", provider, cipher,
                        args[3], buffer, i == 0 ? "warm-up" : "timed", s, Files.size(file) / 1e6 / s, cpu);
            }
        }
    }

    private static SSLContext sslContext(String provider, Path trustStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(trustStore)) {
            store.load(in, "emulator".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ssl;
        if (provider.equals("conscrypt")) {
            Provider conscrypt = (Provider) Class.forName("org.conscrypt.OpenSSLProvider").getDeclaredConstructor()
                    .newInstance();
            ssl = SSLContext.getInstance("TLS", conscrypt);
        } else {
            ssl = SSLContext.getInstance("TLS");
        }
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
