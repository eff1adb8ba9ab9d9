package io.github.rip.emulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes an entity's CSV file with plausible rows, chosen from the column names (ids, descriptions, payment terms,
 * currencies, dates, amounts…). The same entity, row count and seed always give the same bytes, so tests can
 * predict the content; the first column is a unique key. Rows are streamed: large packages never sit in memory.
 */
final class ExportDataGenerator {

    private static final List<String> ADJECTIVES = List.of("Retail", "Wholesale", "Domestic", "Export", "Intercompany",
            "Key", "Online", "Regional", "Strategic", "Small business", "Public sector", "Partner");
    private static final List<String> NOUNS = List.of("customers", "accounts", "distributors", "resellers", "clients",
            "buyers", "members", "dealers", "agencies", "subsidiaries");
    private static final List<String> PAYMENT_TERMS = List.of("Net10", "Net30", "Net45", "Net60", "COD", "Month+15");
    private static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP", "DKK", "SEK", "NOK", "CAD");
    private static final List<String> COUNTRIES = List.of("USA", "DEU", "GBR", "DNK", "FRA", "NLD", "CAN");
    private static final List<String> WORDS = List.of("Alpha", "Bravo", "Cedar", "Delta", "Ember", "Fjord", "Granite",
            "Harbor", "Iris", "Juniper", "Kestrel", "Linden", "Maple", "Nimbus", "Onyx", "Pine");
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);

    private ExportDataGenerator() {
    }

    /**
     * Writes {@code rows} records (plus the header row) for the entity; CRLF line ends, like D365's CSV files.
     * Flushes but does not close {@code target}: it is a zip entry.
     */
    static void writeCsv(ExportEntity entity, int rows, long seed, String company, OutputStream target)
            throws IOException {
        Random random = new Random(seed * 1_000_003L + entity.name().hashCode());
        // CSV-Unicode is UTF-16LE with a BOM (docs/d365-api.md §3.4); other data sources get plain UTF-8.
        Charset charset = entity.isUnicode() ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_8;
        String keyPrefix = initials(entity.name());
        Writer out = new BufferedWriter(new OutputStreamWriter(target, charset), 1 << 16);
        if (entity.isUnicode()) {
            out.write('\uFEFF');
        }
        out.write(String.join(",", entity.columns().stream().map(ExportDataGenerator::quoted).toList()));
        out.write("\r\n");
        for (int row = 1; row <= rows; row++) {
            for (int c = 0; c < entity.columns().size(); c++) {
                if (c > 0) {
                    out.write(',');
                }
                String value = c == 0 ? keyPrefix + String.format(Locale.ROOT, "%05d", row)
                        : value(entity.columns().get(c).toUpperCase(Locale.ROOT), row, company, random);
                out.write(quoted(value));
            }
            out.write("\r\n");
        }
        out.flush();
    }

    private static String value(String column, int row, String company, Random random) {
        if (column.contains("DESCRIPTION") || column.contains("NAME")) {
            return pick(ADJECTIVES, random) + " " + pick(NOUNS, random);
        }
        if (column.contains("PAYMENTTERM")) {
            return pick(PAYMENT_TERMS, random);
        }
        if (column.contains("CURRENCY")) {
            return pick(CURRENCIES, random);
        }
        if (column.contains("COUNTRY") || column.contains("ISOCODE")) {
            return pick(COUNTRIES, random);
        }
        if (column.equals("DATAAREAID") || column.contains("COMPANY") || column.contains("LEGALENTITY")) {
            return company;
        }
        if (column.contains("DATE") || column.endsWith("TIME")) {
            LocalDate day = FIRST_DAY.plusDays(random.nextInt(366));
            return column.contains("TIME") ? day + "T" + String.format(Locale.ROOT, "%02d:%02d:00Z",
                    random.nextInt(24), random.nextInt(60)) : day.toString();
        }
        if (column.contains("AMOUNT") || column.contains("PRICE") || column.contains("BALANCE")
                || column.contains("LIMIT") || column.contains("QTY") || column.contains("QUANTITY")) {
            return String.format(Locale.ROOT, "%.2f", random.nextInt(1_000_000) / 100.0);
        }
        if (column.contains("EMAIL")) {
            return "contact" + row + "@example.com";
        }
        if (column.contains("PHONE")) {
            return String.format(Locale.ROOT, "+1 555 01%02d", random.nextInt(100));
        }
        if (column.startsWith("IS") || column.contains("BLOCKED") || column.contains("ACTIVE")
                || column.contains("ENABLED")) {
            return random.nextBoolean() ? "Yes" : "No";
        }
        if (column.endsWith("ID") || column.endsWith("ACCOUNT") || column.endsWith("NUMBER")
                || column.endsWith("CODE")) {
            return column.substring(0, Math.min(2, column.length())) + String.format(Locale.ROOT, "%03d",
                    1 + random.nextInt(50));
        }
        return pick(WORDS, random);
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }

    /** "Customer groups" → "CG": a readable key prefix. */
    private static String initials(String name) {
        StringBuilder sb = new StringBuilder();
        for (String word : name.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                sb.append(Character.toUpperCase(word.charAt(0)));
            }
        }
        return sb.length() == 0 ? "K" : sb.toString();
    }

    private static String quoted(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
