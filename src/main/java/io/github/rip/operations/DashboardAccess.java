package io.github.rip.operations;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.rip.support.InvalidConfigurationException;
import io.github.rip.support.Settings;

/**
 * Who may use the dashboard and its API. Bound to a loopback address (the default) it needs no login; bound anywhere
 * else it needs one, or the start is refused. A login is a user with a password hash ({@link PasswordHash};
 * {@code rip.dashboard.user} + {@code rip.dashboard.password-hash}) for browsers (HTTP Basic), and/or a bearer token read
 * from a file ({@code rip.dashboard.token-file}) for scripts. Once configured it is required on loopback too.
 * The actor an action is recorded under: the login name, "token", or "local" without a login.
 */
public final class DashboardAccess {

    /** Bearer tokens shorter than this are refused at start: a token is a generated secret, not a password. */
    static final int MIN_TOKEN_LENGTH = 32;
    /** How long a verified Basic login is remembered, so PBKDF2 runs once per login, not once per request. */
    private static final Duration REMEMBER = Duration.ofMinutes(10);

    private final String host;
    private final String user;
    private final String passwordHash;
    private final byte[] token;
    private final String csrfToken;
    private final Map<String, Instant> verified = new ConcurrentHashMap<>();

    private DashboardAccess(String host, String user, String passwordHash, String token) {
        this.host = host;
        this.user = user;
        this.passwordHash = passwordHash;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.csrfToken = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The access the settings describe; refuses (one line per problem) settings that leave the dashboard open. */
    public static DashboardAccess of(Settings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        String tokenFile = settings.get("rip.dashboard.token-file", null);
        return new DashboardAccess(settings.get("camel.server.host", "0.0.0.0"), settings.get("rip.dashboard.user", null),
                settings.secret("rip.dashboard.password-hash"), tokenFile == null ? null : readToken(tokenFile));
    }

    /**
     * The dashboard settings' problems, each naming where it was set, the setting and what is accepted; also run by
     * the configuration check (and so by {@code validate}).
     */
    public static List<String> problems(Settings settings) {
        List<String> problems = new ArrayList<>();
        if (!"true".equalsIgnoreCase(settings.get("camel.server.enabled", "false"))) {
            return problems;
        }
        String user = settings.get("rip.dashboard.user", null);
        String hash;
        try {
            hash = settings.secret("rip.dashboard.password-hash");
        } catch (RuntimeException e) {
            return List.of(settings.source("rip.dashboard.password-hash") + ": rip.dashboard.password-hash: "
                    + e.getMessage());
        }
        String tokenFile = settings.get("rip.dashboard.token-file", null);
        if (user != null && hash == null) {
            problems.add(settings.source("rip.dashboard.user") + ": rip.dashboard.user is set but "
                    + "rip.dashboard.password-hash is not; make one with: java -jar recurring-integrations-pack.jar "
                    + "hash-password");
        } else if (user == null && hash != null) {
            problems.add(settings.source("rip.dashboard.password-hash") + ": rip.dashboard.password-hash is set but "
                    + "rip.dashboard.user is not; write the login name there");
        } else if (hash != null && PasswordHash.problem(hash) != null) {
            problems.add(settings.source("rip.dashboard.password-hash") + ": rip.dashboard.password-hash "
                    + PasswordHash.problem(hash));
        }
        if (tokenFile != null) {
            try {
                readToken(tokenFile);
            } catch (IllegalArgumentException e) {
                problems.add(settings.source("rip.dashboard.token-file") + ": rip.dashboard.token-file: "
                        + e.getMessage());
            }
        }
        String host = settings.get("camel.server.host", "0.0.0.0");
        if (user == null && tokenFile == null && !isLoopback(host)) {
            problems.add(settings.source("camel.server.host") + ": camel.server.host: '" + host + "' is not a "
                    + "loopback address and the dashboard has no login; set rip.dashboard.user and "
                    + "rip.dashboard.password-hash, or rip.dashboard.token-file, or bind to 127.0.0.1");
        }
        return problems;
    }

    private static String readToken(String file) {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + Path.of(file).toAbsolutePath() + " (" + e + ")");
        }
        if (text.length() < MIN_TOKEN_LENGTH || text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(Path.of(file).toAbsolutePath() + " must hold one token of at least "
                    + MIN_TOKEN_LENGTH + " characters without spaces, e.g. from: openssl rand -base64 32");
        }
        return text;
    }

    /** 127.0.0.1, ::1, localhost and any other name of this machine's loopback interface. */
    static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public boolean loginRequired() {
        return user != null || token != null;
    }

    /** basic, bearer, "basic bearer", or none: what the API's 401 asks for and the page offers. */
    public String scheme() {
        return !loginRequired() ? "none" : user != null && token != null ? "basic bearer" : user != null ? "basic"
                : "bearer";
    }

    public boolean acceptsBasic() {
        return user != null;
    }

    public boolean loopback() {
        return isLoopback(host);
    }

    public String csrfToken() {
        return csrfToken;
    }

    /** The bearer token matches (constant time). */
    boolean tokenMatches(String presented) {
        return token != null && presented != null
                && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a Basic login was verified recently (no PBKDF2 needed). */
    boolean recentlyVerified(String credentials) {
        Instant until = verified.get(fingerprint(credentials));
        return until != null && Instant.now().isBefore(until);
    }

    /** Checks user and password (slow: PBKDF2; call off the event loop) and remembers a success for a while. */
    boolean verifyBasic(String name, String password) {
        if (user == null || name == null || password == null
                || !MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), name.getBytes(StandardCharsets.UTF_8))
                || !PasswordHash.matches(password.toCharArray(), passwordHash)) {
            return false;
        }
        verified.put(fingerprint(name + ":" + password), Instant.now().plus(REMEMBER));
        verified.values().removeIf(until -> Instant.now().isAfter(until));
        return true;
    }

    /** A Basic login as remembered: a SHA-256 of it, never the password itself. */
    private static String fingerprint(String credentials) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(credentials.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
