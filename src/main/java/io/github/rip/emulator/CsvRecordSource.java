package io.github.rip.emulator;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Reads a delimited text file with jackson-dataformat-csv: a header row, then records. Encoding from the BOM (UTF-8,
 * UTF-16 LE/BE; UTF-8 without one), delimiter detected from the header (comma, semicolon or tab), RFC 4180 quoting
 * including doubled quotes and line breaks inside quoted fields; text after a closing quote makes the file
 * unreadable. Blank lines are skipped; values are trimmed (only their blankness matters to the checks).
 */
final class CsvRecordSource implements RecordSource {

    private static final int MAX_HEADER_CHARS = 1 << 20;
    /** A longer field is refused instead of filling the heap (an unclosed quote swallows the rest of the file). */
    private static final int MAX_FIELD_CHARS = 1 << 22;
    private static final CsvFactory CSV = CsvFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_FIELD_CHARS).build())
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .enable(CsvParser.Feature.TRIM_SPACES) // so a quote after blanks still opens a quoted field
            .build();

    private final InputStream raw;
    private CsvParser parser;
    private Charset charset = StandardCharsets.UTF_8;
    private List<String> header;
    private long line = 1;
    private long row;

    CsvRecordSource(InputStream in) {
        this.raw = in;
    }

    @Override
    public List<String> header() throws UnreadableFileException, IOException {
        if (header != null) {
            return header;
        }
        BufferedInputStream bytes = new BufferedInputStream(raw);
        charset = charsetFromBom(bytes);
        BufferedReader text = new BufferedReader(new InputStreamReader(bytes, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        text.mark(MAX_HEADER_CHARS);
        String firstLine;
        try {
            do {
                firstLine = text.readLine();
            } while (firstLine != null && firstLine.isBlank());
            if (firstLine == null) {
                throw new UnreadableFileException("The file is empty: there is no header row.");
            }
            text.reset();
        } catch (CharacterCodingException e) {
            throw new UnreadableFileException("The file is not valid " + charset.displayName() + " text near its start"
                    + " (UTF-16 files need a byte order mark).");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Mark invalid")) {
                throw new UnreadableFileException("The header row is longer than " + MAX_HEADER_CHARS + " characters.");
            }
            throw e;
        }
        parser = CSV.createParser(text);
        parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(detectDelimiter(firstLine)).withoutEscapeChar());
        List<String> names = readFields();
        header = new ArrayList<>();
        for (String name : names) {
            header.add(name.trim());
        }
        return header;
    }

    @Override
    public SourceRecord next() throws UnreadableFileException, IOException {
        header();
        List<String> values = readFields();
        if (values == null) {
            return null;
        }
        row++;
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < Math.min(values.size(), header.size()); i++) {
            fields.putIfAbsent(header.get(i), values.get(i));
        }
        String problem = values.size() == header.size() ? null
                : "expected " + header.size() + " fields but found " + values.size();
        return new SourceRecord(row, line, fields, problem);
    }

    /** The next record that is not blank, its first line in {@link #line}; null at the end of the file. */
    private List<String> readFields() throws UnreadableFileException, IOException {
        try {
            while (true) {
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    return null;
                }
                line = parser.currentLocation().getLineNr(); // where the record starts, blank lines skipped
                List<String> fields = new ArrayList<>();
                while (parser.nextToken() == JsonToken.VALUE_STRING) {
                    fields.add(parser.getText());
                }
                if (!(fields.size() == 1 && fields.get(0).isBlank())) {
                    return fields;
                }
            }
        } catch (CharacterCodingException e) {
            // the decoder reads ahead, so the line is approximate
            throw new UnreadableFileException("The file is not valid " + charset.displayName() + " text near line "
                    + line + " (UTF-16 files need a byte order mark).");
        } catch (StreamConstraintsException e) {
            throw new UnreadableFileException("A field of the record on line " + line + " is longer than "
                    + MAX_FIELD_CHARS + " characters.");
        } catch (JsonParseException e) {
            if (String.valueOf(e.getOriginalMessage()).contains("Missing closing quote")) {
                throw new UnreadableFileException("A quoted field of the record that starts on line " + line
                        + " is never closed.");
            }
            throw new UnreadableFileException("The record that starts on line " + line + " cannot be read as CSV: "
                    + e.getOriginalMessage());
        }
    }

    /** The most frequent of comma, semicolon and tab outside quotes in the header; comma on a tie. */
    private static char detectDelimiter(String headerLine) {
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean inQuotes = false;
        for (char c : headerLine.toCharArray()) {
            if (c == '"') {
                inQuotes = !inQuotes;
            } else if (!inQuotes) {
                commas += c == ',' ? 1 : 0;
                semicolons += c == ';' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }
        if (semicolons > commas && semicolons >= tabs) {
            return ';';
        }
        return tabs > commas ? '\t' : ',';
    }

    /** The charset its byte order mark announces (UTF-8 without one); the mark is consumed. */
    private static Charset charsetFromBom(BufferedInputStream in) throws IOException {
        in.mark(3);
        int b0 = in.read();
        int b1 = in.read();
        int b2 = in.read();
        Charset charset = StandardCharsets.UTF_8;
        int bomLength = 0;
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
            bomLength = 3;
        } else if (b0 == 0xFF && b1 == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            bomLength = 2;
        } else if (b0 == 0xFE && b1 == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            bomLength = 2;
        }
        in.reset();
        in.skipNBytes(bomLength);
        return charset;
    }

    @Override
    public void close() throws IOException {
        if (parser != null) {
            parser.close();
        }
        raw.close();
    }
}
