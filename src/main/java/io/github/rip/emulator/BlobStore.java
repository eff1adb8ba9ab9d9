package io.github.rip.emulator;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The emulator's stand-in for the Azure blob container D365's package API hands out ({@code dmf}): blobs on disk under
 * {@code <dataDir>/blobs/}, and SAS-like URLs to them. A URL carries its permission ({@code sp}: r or w), its expiry
 * ({@code se}) and a signature ({@code sig}, HMAC-SHA256 with a key kept in {@code <dataDir>/keys/}, so URLs survive
 * a restart); a URL whose signature does not match, whose expiry has passed or whose permission does not fit the
 * request is refused as Azure refuses it ({@link BlobApi}).
 */
final class BlobStore {

    /** The URL path of the container; the blob name follows. */
    static final String CONTAINER_PATH = "/blob/dmf/";
    private static final String KEY_FILE = "blob-sas.key";
    private static final String SAS_VERSION = "2019-12-12";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    /** Why a SAS URL was refused; null fields = accepted. */
    record Refusal(String code, String detail) {
    }

    private final Path dir;
    private final byte[] key;

    private BlobStore(Path dir, byte[] key) {
        this.dir = dir;
        this.key = key;
    }

    static BlobStore open(Path dir, Path keysDir) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.newDirectoryStream(dir, "*.part")) {
            for (Path part : files) {
                Files.deleteIfExists(part); // an upload a stop cut short never became a blob
            }
        }
        Path keyFile = keysDir.resolve(KEY_FILE);
        byte[] key;
        if (Files.exists(keyFile)) {
            key = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).trim());
        } else {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(keysDir);
            DataFiles.writeAtomically(keyFile, Base64.getEncoder().encode(key), true);
        }
        return new BlobStore(dir, key);
    }

    /** Whether a name can be a blob of this store (no path characters). */
    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** A SAS-like URL for the blob: {@code <base>/blob/dmf/<name>?sv=…&sr=b&sp=<r|w>&se=<expiry>&sig=…}. */
    String signedUrl(String baseUrl, String name, String permission, Instant expiry) {
        String se = expiry.truncatedTo(ChronoUnit.SECONDS).toString();
        return baseUrl + CONTAINER_PATH + name + "?sv=" + SAS_VERSION + "&sr=b&sp=" + permission + "&se="
                + URLEncoder.encode(se, StandardCharsets.UTF_8) + "&sig="
                + URLEncoder.encode(signature(name, permission, se), StandardCharsets.UTF_8);
    }

    /** Checks a request's SAS query for the blob and the permission it needs; empty = accepted. */
    Optional<Refusal> check(String name, HttpCall call, String permission, Instant now) {
        String sig = call.query("sig").orElse(null);
        String sp = call.query("sp").orElse("");
        String se = call.query("se").orElse(null);
        if (sig == null || se == null) {
            return Optional.of(new Refusal("AuthenticationFailed", "The request carries no shared access signature "
                    + "(sig and se)."));
        }
        if (!MessageDigest.isEqual(signature(name, sp, se).getBytes(StandardCharsets.US_ASCII),
                sig.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(new Refusal("AuthenticationFailed", "Signature did not match. String to sign used was "
                    + sp + "\\n" + se + "\\n/blob/dmf/" + name));
        }
        Instant expiry;
        try {
            expiry = Instant.parse(se);
        } catch (DateTimeParseException e) {
            return Optional.of(new Refusal("AuthenticationFailed", "The signed expiry '" + se + "' is not a time."));
        }
        if (!now.isBefore(expiry)) {
            return Optional.of(new Refusal("AuthenticationFailed", "Signature not valid in the specified time frame: "
                    + "Expiry [" + expiry + "] - Current [" + now.truncatedTo(ChronoUnit.SECONDS) + "]"));
        }
        if (!sp.contains(permission)) {
            return Optional.of(new Refusal("AuthorizationPermissionMismatch", "This request is not authorized to "
                    + "perform this operation using this permission (the signature grants '" + sp + "')."));
        }
        return Optional.empty();
    }

    /** Where an upload is streamed before {@link #commit}. */
    Path partial(String name) {
        return dir.resolve(name + ".part");
    }

    /** Makes a completely received upload the blob (replacing an older one, as a BlockBlob PUT does). */
    Path commit(String name) throws IOException {
        Path blob = dir.resolve(name);
        DataFiles.moveAtomically(partial(name), blob);
        return blob;
    }

    /** The blob's file, if it was written. */
    Optional<Path> blob(String name) {
        Path blob = dir.resolve(name);
        return isValidName(name) && Files.isRegularFile(blob) ? Optional.of(blob) : Optional.empty();
    }

    private String signature(String name, String permission, String expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((permission + "\n" + expiry + "\n" + CONTAINER_PATH + name)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
