package io.github.rip.emulator;

import java.util.Locale;
import java.util.UUID;

/** Normalizes the many spellings clients use for D365 GUIDs: braces, quotes, any case, surrounding blanks. */
final class Guids {

    private Guids() {
    }

    /**
     * The canonical form used as a key everywhere in the emulator: lower case, no braces or quotes.
     * Values that are not GUIDs are normalized the same way and kept, so odd test ids still work.
     */
    static String canonical(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim();
        s = strip(s, '"', '"');
        s = strip(s, '{', '}');
        return s.trim().toLowerCase(Locale.ROOT);
    }

    private static String strip(String s, char open, char close) {
        if (s.length() >= 2 && s.charAt(0) == open && s.charAt(s.length() - 1) == close) {
            return s.substring(1, s.length() - 1).trim();
        }
        return s;
    }

    /** A new random message id in canonical form. */
    static String newId() {
        return UUID.randomUUID().toString();
    }
}
