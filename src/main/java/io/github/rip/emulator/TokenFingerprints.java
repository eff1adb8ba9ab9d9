package io.github.rip.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fingerprints (SHA-256, hex) of bearer tokens: those the emulator issued and those clients presented to it, whatever
 * their issuer. Tests compare two emulators' sets to prove a client never sent one environment's token to another.
 * The tokens themselves are never kept.
 */
final class TokenFingerprints {

    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final Set<String> presented = ConcurrentHashMap.newKeySet();

    void issued(String token) {
        issued.add(of(token));
    }

    /** An Authorization header as a request carried it; anything but a bearer token is ignored. */
    void presented(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented.add(of(authorization.substring(7).trim()));
        }
    }

    Set<String> issued() {
        return Set.copyOf(issued);
    }

    Set<String> presented() {
        return Set.copyOf(presented);
    }

    static String of(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
