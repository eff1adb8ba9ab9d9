package io.github.rip.packaging;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Case-insensitive file-name globs; own code because the JDK's PathMatcher follows the platform's case rules. */
final class GlobMatcher {

    private static final ConcurrentHashMap<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private GlobMatcher() {
    }

    /** Compiles {@code *}, {@code ?}, {@code [abc]}/{@code [!abc]} and {@code {a,b}}; everything else is literal. */
    static Pattern compile(String glob) {
        return CACHE.computeIfAbsent(glob, GlobMatcher::toPattern);
    }

    private static Pattern toPattern(String glob) {
        StringBuilder re = new StringBuilder();
        boolean inGroup = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("Unclosed '[' in file glob '" + glob + "'");
                    }
                    String set = glob.substring(i + 1, end);
                    boolean negate = set.startsWith("!");
                    re.append('[').append(negate ? "^" : "");
                    for (char s : set.substring(negate ? 1 : 0).toCharArray()) {
                        // characters special inside a Java regex class ('&&' is intersection) are taken literally
                        re.append("\\[]^&".indexOf(s) >= 0 ? "\\" + s : String.valueOf(s));
                    }
                    re.append(']');
                    i = end;
                }
                case '{' -> {
                    if (inGroup) {
                        throw new IllegalArgumentException("Nested '{' in file glob '" + glob + "'");
                    }
                    inGroup = true;
                    re.append("(?:");
                }
                case '}' -> {
                    if (!inGroup) {
                        throw new IllegalArgumentException("Unmatched '}' in file glob '" + glob + "'");
                    }
                    inGroup = false;
                    re.append(')');
                }
                case ',' -> re.append(inGroup ? "|" : ",");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inGroup) {
            throw new IllegalArgumentException("Unclosed '{' in file glob '" + glob + "'");
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    /** Lower-cases with the root locale so that names compare the same on every machine. */
    static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
