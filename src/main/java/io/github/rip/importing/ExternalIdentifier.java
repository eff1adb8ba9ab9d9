package io.github.rip.importing;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import io.github.rip.support.Sha256;

/**
 * The {@code x-ms-dyn-externalidentifier} header value for a file name: what D365 shows in "Manage messages" and
 * returns as {@code ExternalIdentifier} in jobstatus.
 *
 * <p>Header values travel as bytes without a declared charset (RFC 9110 asks for visible US-ASCII): Apache HttpClient 5
 * writes Latin-1 and turns every other character into {@code ?}, .NET Framework keeps only each character's low byte,
 * .NET 5+ refuses non-ASCII outright. Microsoft documents no encoding, and its own clients send the raw name. So a
 * name in printable ASCII is sent as it is (what RIS sends), and anything else as percent-encoded UTF-8 ({@code %C3%9C}
 * for Ü) with {@code %} itself encoded: it arrives unchanged through every client and server, and decodes back to the
 * name. The journal keeps the value sent beside the file name (column external_id).
 */
public final class ExternalIdentifier {

    /**
     * Longest value sent; D365's column length is not documented. A longer encoded name is cut and ends with
     * {@code ~} and 8 hex digits of its SHA-256, so that two long names still differ.
     */
    static final int MAX_LENGTH = 255;

    private ExternalIdentifier() {
    }

    /** The header value for this file name. */
    public static String of(String fileName) {
        byte[] utf8 = fileName.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xFF;
            boolean edgeSpace = b == ' ' && (i == 0 || i == utf8.length - 1);
            if (b >= 0x20 && b <= 0x7E && b != '%' && !edgeSpace) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        if (out.length() <= MAX_LENGTH) {
            return out.toString();
        }
        String suffix = "~" + HexFormat.of().formatHex(Sha256.digest().digest(utf8), 0, 4);
        int cut = MAX_LENGTH - suffix.length();
        // never split a %XX triplet
        if (out.charAt(cut - 1) == '%') {
            cut -= 1;
        } else if (cut >= 2 && out.charAt(cut - 2) == '%') {
            cut -= 2;
        }
        return out.substring(0, cut) + suffix;
    }
}
