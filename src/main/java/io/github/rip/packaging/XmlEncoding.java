package io.github.rip.packaging;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides an XML file's encoding from its bytes (BOM, then zero-byte pattern, then declaration) and hands the parser
 * characters. Bytes win over the declaration on purpose: .NET tools often declare {@code encoding="utf-16"} on text
 * they then save as UTF-8, and D365 writes UTF-16 without any declaration.
 */
final class XmlEncoding {

    private static final Pattern DECLARED = Pattern.compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._-]+)");

    private XmlEncoding() {
    }

    /** The detected charset and a reader positioned after any BOM; undecodable bytes raise an IOException. */
    record Decoded(Charset charset, boolean bom, Reader reader) {
    }

    static Decoded open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 8192);
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        int b0 = head.length > 0 ? head[0] & 0xFF : -1;
        int b1 = head.length > 1 ? head[1] & 0xFF : -1;
        int b2 = head.length > 2 ? head[2] & 0xFF : -1;
        Charset charset;
        int bom = 0;
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
            charset = StandardCharsets.UTF_8;
            bom = 3;
        } else if (b0 == 0xFF && b1 == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            bom = 2;
        } else if (b0 == 0xFE && b1 == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            bom = 2;
        } else if (b0 > 0 && b1 == 0) {
            charset = StandardCharsets.UTF_16LE; // '<' 00: UTF-16LE without BOM
        } else if (b0 == 0 && b1 > 0) {
            charset = StandardCharsets.UTF_16BE;
        } else {
            charset = declared(new String(head, StandardCharsets.ISO_8859_1));
        }
        in.skipNBytes(bom);
        Reader reader = new InputStreamReader(in, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        return new Decoded(charset, bom > 0, reader);
    }

    /** An 8-bit declaration's encoding; UTF-16 declared on 8-bit bytes cannot be true, so it means UTF-8. */
    private static Charset declared(String head) {
        Matcher m = DECLARED.matcher(head);
        if (m.find()) {
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (!name.startsWith("utf-16") && !name.equals("unicode") && !name.startsWith("ucs")) {
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
