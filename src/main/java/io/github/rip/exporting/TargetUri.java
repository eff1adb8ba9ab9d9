package io.github.rip.exporting;

import java.util.Locale;
import java.util.Set;

import io.github.rip.sftp.SftpTarget;
import io.github.rip.support.UriOptions;

/**
 * The endpoint URI files are delivered to, with safe defaults the user did not have to write. Folder-like targets
 * (file, ftp, ftps, sftp) write under a temporary name, renamed when complete, so a consumer downstream never sees
 * half a file: {@code .part-<name>} (dot names are skipped by Camel's own file consumers and most polling tools),
 * unless the URI already sets tempPrefix or tempFileName. sftp targets also get the pack's SFTP defaults
 * ({@link SftpTarget#withDefaults}: host key checked against rip.sftp.known-hosts-file, timeouts).
 */
public final class TargetUri {

    /** Prefix of the temporary name while a file is written. */
    public static final String TEMP_PREFIX = ".part-";

    private static final Set<String> FOLDER_SCHEMES = Set.of("file", "ftp", "ftps", "sftp");

    private TargetUri() {
    }

    /** The URI with the defaults above added. */
    public static String withDefaults(String uri, String job) {
        String result = uri.trim();
        int colon = result.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("The export target '" + uri + "' is not a Camel endpoint URI; "
                    + "write for example file:/data/outbox or sftp://user@host/outbox");
        }
        String scheme = result.substring(0, colon).toLowerCase(Locale.ROOT);
        if (FOLDER_SCHEMES.contains(scheme) && !UriOptions.of(result).containsKey("tempfilename")) {
            result = UriOptions.withDefault(result, "tempPrefix", TEMP_PREFIX);
        }
        return "sftp".equals(scheme) ? SftpTarget.withDefaults(result, job) : result;
    }
}
