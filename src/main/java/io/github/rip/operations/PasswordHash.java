package io.github.rip.operations;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The dashboard password's stored form: PBKDF2-HMAC-SHA256 (JDK only, no native code), written
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}. New hashes use 600,000 iterations (OWASP's 2023
 * figure for this function) and a 16-byte random salt; a stored hash keeps its own count. Made by
 * {@code java -jar recurring-integrations-pack.jar hash-password}.
 */
public final class PasswordHash {

    static final String PREFIX = "pbkdf2-sha256";
    static final int ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private PasswordHash() {
    }

    /** A new hash of the password with a fresh salt. */
    public static String of(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return PREFIX + "$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(password, salt, ITERATIONS));
    }

    /** Whether the password matches the stored hash (compared in constant time); false for a malformed hash. */
    public static boolean matches(char[] password, String stored) {
        String[] parts = parts(stored);
        if (parts == null) {
            return false;
        }
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    /** What is wrong with a stored hash, or null if it has the right form. */
    static String problem(String stored) {
        return parts(stored) == null ? "is not a password hash of the form " + PREFIX + "$<iterations>$<salt>$<hash>; "
                + "make one with: java -jar recurring-integrations-pack.jar hash-password" : null;
    }

    private static String[] parts(String stored) {
        String[] parts = stored == null ? new String[0] : stored.trim().split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return null;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 10_000 || Base64.getDecoder().decode(parts[2]).length < 8
                    || Base64.getDecoder().decode(parts[3]).length != HASH_BITS / 8) {
                return null;
            }
        } catch (IllegalArgumentException e) { // NumberFormatException too
            return null;
        }
        return parts;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }
}
