package io.github.rip.packaging;

import java.util.Locale;
import java.util.Set;

/** Entry names we write: a bare file name D365 (a Windows service) can store, per docs/d365-api.md §3.1. */
final class EntryNames {

    private static final String INVALID = "<>:\"/\\|?*";
    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private EntryNames() {
    }

    /**
     * The basename with characters invalid in Windows file names removed (as D365 does, e.g. {@code Country/regions}
     * becomes {@code Countryregions}), trailing dots/spaces dropped, device names prefixed with '_'; "" when nothing
     * usable is left.
     */
    static String sanitize(String fileName) {
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        StringBuilder sb = new StringBuilder(base.length());
        base.codePoints().filter(cp -> cp >= 0x20 && cp != 0x7F && INVALID.indexOf(cp) < 0)
                .forEach(sb::appendCodePoint);
        String name = sb.toString().strip();
        while (name.endsWith(".") || name.endsWith(" ")) { // Windows silently drops them, so names would collide
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.equals("..")) {
            return "";
        }
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).strip().toUpperCase(Locale.ROOT);
        return DEVICES.contains(stem) ? "_" + name : name;
    }

    /** The lower-case extension without the dot, "" if none. */
    static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
