package io.github.rip.emulator;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a delimited text file: a header row, then records. Encoding from the BOM (UTF-8, UTF-16 LE/BE; UTF-8
 * without one), delimiter detected from the header (comma, semicolon or tab), RFC 4180 quoting including doubled
 * quotes and line breaks inside quoted fields. Blank lines are skipped.
 */
final class CsvRecordSource implements RecordSource {

    private static final int MAX_HEADER_CHARS = 1 << 20;
    private static final int MAX_FIELD_CHARS = 1 << 22;

    private final InputStream raw;
    private PushbackReader reader;
    private Charset charset = StandardCharsets.UTF_8;
    private char delimiter;
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
        BufferedReader buffered = new BufferedReader(new InputStreamReader(bytes, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
        buffered.mark(MAX_HEADER_CHARS);
        String firstLine;
        try {
            do {
                firstLine = buffered.readLine();
            } while (firstLine != null && firstLine.isBlank());
            if (firstLine == null) {
                throw new UnreadableFileException("The file is empty: there is no header row.");
            }
            buffered.reset();
        } catch (CharacterCodingException e) {
            throw new UnreadableFileException("The file is not valid " + charset.displayName() + " text near its start"
                    + " (UTF-16 files need a byte order mark).");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Mark invalid")) {
                throw new UnreadableFileException("The header row is longer than " + MAX_HEADER_CHARS + " characters.");
            }
            throw e;
        }
        delimiter = detectDelimiter(firstLine);
        reader = new PushbackReader(buffered, 1);
        List<String> names;
        do {
            names = readFields();
        } while (names != null && isBlank(names));
        header = new ArrayList<>();
        for (String name : names) {
            header.add(name.trim());
        }
        return header;
    }

    @Override
    public SourceRecord next() throws UnreadableFileException, IOException {
        header();
        List<String> values;
        long startLine;
        do {
            startLine = line;
            values = readFields();
            if (values == null) {
                return null;
            }
        } while (isBlank(values));
        row++;
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < Math.min(values.size(), header.size()); i++) {
            fields.putIfAbsent(header.get(i), values.get(i));
        }
        String problem = values.size() == header.size() ? null
                : "expected " + header.size() + " fields but found " + values.size();
        return new SourceRecord(row, startLine, fields, problem);
    }

    /** One record's fields, or null at end of file. */
    private List<String> readFields() throws UnreadableFileException, IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean inQuotes = false;
        boolean sawAnything = false;
        long quoteStartLine = line;
        try {
            while (true) {
                int c = reader.read();
                if (c == -1) {
                    if (inQuotes) {
                        throw new UnreadableFileException("A quoted field that starts on line " + quoteStartLine
                                + " is never closed.");
                    }
                    if (!sawAnything) {
                        return null;
                    }
                    fields.add(field.toString());
                    return fields;
                }
                sawAnything = true;
                if (field.length() > MAX_FIELD_CHARS) {
                    throw new UnreadableFileException("A field on line " + line + " is longer than " + MAX_FIELD_CHARS
                            + " characters.");
                }
                if (inQuotes) {
                    if (c == '"') {
                        int next = reader.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            inQuotes = false;
                            if (next != -1) {
                                reader.unread(next);
                            }
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append((char) c);
                    }
                } else if (c == '"' && field.toString().isBlank()) {
                    field.setLength(0);
                    inQuotes = true;
                    quoteStartLine = line;
                } else if (c == delimiter) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r' || c == '\n') {
                    if (c == '\r') {
                        int next = reader.read();
                        if (next != '\n' && next != -1) {
                            reader.unread(next);
                        }
                    }
                    line++;
                    fields.add(field.toString());
                    return fields;
                } else {
                    field.append((char) c);
                }
            }
        } catch (CharacterCodingException e) {
            // the decoder reads ahead, so the line is approximate
            throw new UnreadableFileException("The file is not valid " + charset.displayName() + " text near line "
                    + line + " (UTF-16 files need a byte order mark).");
        }
    }

    private static boolean isBlank(List<String> fields) {
        return fields.size() == 1 && fields.get(0).isBlank();
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
        raw.close();
    }
}
