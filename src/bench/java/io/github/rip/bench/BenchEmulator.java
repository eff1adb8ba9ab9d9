package io.github.rip.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.EmulatorConfig;
import io.github.rip.emulator.Endpoint;

/**
 * The pack's D365 emulator for the benchmark: what {@code java -jar … emulator --config Y --data-dir D} runs, plus a
 * control on standard input so the harness can add a network-like latency to every enqueue between runs
 * ({@code latency <ms>}: enqueue and jobstatus answer that much later). Prints the same lines as the emulator command. Usage: {@code BenchEmulator <yaml> <dataDir>}.
 */
public final class BenchEmulator {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}:]+)(?::([^{}]*))?}}");

    private BenchEmulator() {
    }

    public static void main(String[] args) throws Exception {
        EmulatorConfig config;
        try (Reader yaml = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            config = EmulatorConfig.load(yaml, BenchEmulator::resolve);
        }
        D365Emulator emulator = D365Emulator.start(config.toBuilder().port(0).dataDir(Path.of(args[1])).build());
        System.out.println("  base URL (D365 URL, token resource): " + emulator.baseUrl());
        System.out.println("  authority (Entra ID):                " + emulator.authority());
        System.out.println("  trust store:                         " + emulator.trustStore());
        System.out.println("  certificate (PEM, for curl):         "
                + emulator.trustStore().resolveSibling("emulator-tls.crt"));
        System.out.println("Press Ctrl+C to stop.");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] command = line.trim().split("\\s+");
            if (command[0].equals("latency")) {
                long ms = Long.parseLong(command[1]);
                emulator.faults().clear();
                if (ms > 0) {
                    for (Endpoint e : new Endpoint[] {Endpoint.ENQUEUE, Endpoint.JOBSTATUS}) {
                        emulator.faults().delayNext(e, Duration.ofMillis(ms), Integer.MAX_VALUE);
                    }
                }
                System.out.println("BENCH-VALUE latency=" + ms);
            }
        }
        // stdin closed: the harness is gone; keep serving until killed
        Thread.currentThread().join();
    }

    private static String resolve(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String env = System.getenv(m.group(1).trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            String value = env != null ? env : m.group(2);
            if (value == null) {
                throw new IllegalArgumentException("Set " + m.group(1) + " for the benchmark emulator");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
