package io.github.rip.operations;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code java -jar recurring-integrations-pack.jar hash-password}: asks for the dashboard password twice (not echoed)
 * and prints the line for {@code rip.dashboard.password-hash}. Without a terminal it reads one line from standard
 * input ({@code printf '%s' "$PASSWORD" | java -jar ... hash-password}). The password is never printed.
 */
public final class HashPasswordCommand {

    private static final int MIN_LENGTH = 12;

    private HashPasswordCommand() {
    }

    /** @return the exit code: 0 printed a hash, 1 refused the password */
    public static int run(Console console, java.io.InputStream in, PrintStream out) throws IOException {
        char[] password;
        if (console != null) {
            password = console.readPassword("Dashboard password: ");
            char[] again = console.readPassword("Again: ");
            if (password == null || again == null || !Arrays.equals(password, again)) {
                out.println("The two passwords differ; nothing printed.");
                return 1;
            }
            Arrays.fill(again, ' ');
        } else {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password.length < MIN_LENGTH) {
            out.println("The password needs at least " + MIN_LENGTH + " characters; nothing printed.");
            return 1;
        }
        String hash = PasswordHash.of(password);
        Arrays.fill(password, ' ');
        out.println("rip.dashboard.password-hash = " + hash);
        return 0;
    }
}
