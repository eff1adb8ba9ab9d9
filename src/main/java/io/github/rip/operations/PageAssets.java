package io.github.rip.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The dashboard page's three files, read once from the classpath folder dashboard/; any other path is unknown. */
final class PageAssets {

    private static final Set<String> FILES = Set.of("/index.html", "/dashboard.js", "/dashboard.css");
    private static final Map<String, byte[]> LOADED = new ConcurrentHashMap<>();

    private PageAssets() {
    }

    /** The file's bytes, or null for a path that is not one of the page's files. */
    static byte[] get(String path) {
        if (!FILES.contains(path)) {
            return null;
        }
        return LOADED.computeIfAbsent(path, PageAssets::load);
    }

    private static byte[] load(String path) {
        try (InputStream in = PageAssets.class.getClassLoader().getResourceAsStream("dashboard" + path)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard file dashboard" + path + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
