package io.github.rip.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The one result table: a row per scenario, printed aligned for the terminal and as Markdown for the docs. */
final class Table {

    /** How a ratio is judged against its target. */
    enum Goal { AT_LEAST, AT_MOST, NONE }

    /**
     * One line of the table. {@code ratio} is pack / baseline in the scenario's own unit (throughput or time), NaN
     * when there is no baseline; {@code target} is the bound on the ratio (or on the pack figure when there is no
     * baseline, see {@code absolute}).
     */
    record Row(String scenario, String pack, String baseline, double ratio, Goal goal, double target,
               boolean absolute, double packValue, String memory) {

        boolean met() {
            double v = absolute ? packValue : ratio;
            return switch (goal) {
                case AT_LEAST -> v >= target;
                case AT_MOST -> v <= target;
                case NONE -> true;
            };
        }

        String ratioText() {
            return Double.isNaN(ratio) ? "–" : fmt("%.2f×", ratio);
        }

        String targetText() {
            if (goal == Goal.NONE) {
                return "–";
            }
            String bound = (goal == Goal.AT_LEAST ? "≥ " : "≤ ") + (absolute ? trim(target) : fmt("%.2f×", target));
            return bound + (met() ? " ✔" : " ✘ MISSED");
        }
    }

    private final List<Row> rows = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    static final String[] HEAD = {"scenario", "pack", "baseline (same run)", "ratio", "target", "peak heap / RSS (MB)"};

    private List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new String[] {r.scenario(), r.pack(), r.baseline(), r.ratioText(), r.targetText(), r.memory()});
        }
        return out;
    }

    String text() {
        List<String[]> cells = cells();
        int[] width = new int[HEAD.length];
        for (int i = 0; i < HEAD.length; i++) {
            width[i] = HEAD[i].length();
            for (String[] c : cells) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, HEAD, width);
        String[] rule = new String[HEAD.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        line(sb, rule, width);
        cells.forEach(c -> line(sb, c, width));
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("| " + String.join(" | ", HEAD) + " |\n|");
        sb.append("---|".repeat(HEAD.length)).append('\n');
        for (String[] c : cells()) {
            sb.append("| ").append(String.join(" | ", c)).append(" |\n");
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] c, int[] width) {
        for (int i = 0; i < c.length; i++) {
            sb.append(String.format("%-" + width[i] + "s", c[i])).append(i + 1 < c.length ? "  " : "\n");
        }
    }

    static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : fmt("%.1f", v);
    }

    /** "heap/RSS" of one process; NaN parts are left out. */
    static String mem(double heapMb, double rssMb) {
        return (Double.isNaN(heapMb) ? "–" : fmt("%.0f", heapMb)) + "/" + fmt("%.0f", rssMb);
    }

    /** Memory cell of a pack process and its baseline process. */
    static String mem(String pack, String baseline) {
        return "pack " + pack + (baseline == null ? "" : " · base " + baseline);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** "median (min–max)" when repeated, the value alone otherwise. */
    static String spread(List<Double> values, String pattern) {
        String m = fmt(pattern, median(values));
        if (values.size() < 2) {
            return m;
        }
        return m + " (" + fmt(pattern, Collections.min(values)) + "–" + fmt(pattern, Collections.max(values)) + ")";
    }
}
