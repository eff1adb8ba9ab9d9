package io.github.rip.connector;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * A file streamed from disk as a request body with a Content-Length, written in 64 KB pieces. camel-http sends a
 * {@link File} body as HttpClient's {@code FileEntity}, which writes 4 KB at a time: each piece becomes a TLS record of
 * its own (JSSE encrypts what one write hands it, up to 16 KB a record), so both the runner and D365 handle four times
 * the records and system calls they need. Measured for 1 GiB against the emulator: 1.2–1.5 s of the runner's CPU
 * instead of 2.0–2.5 s, and the server's CPU for it down to what curl's upload costs it (docs/performance.md).
 */
final class FileUpload extends AbstractHttpEntity {

    /** Four full TLS records per write. */
    static final int WRITE_SIZE = 64 * 1024;

    private final File file;

    FileUpload(File file, String contentType) {
        super(contentType == null ? null : ContentType.parse(contentType), null, false);
        this.file = file;
    }

    @Override
    public long getContentLength() {
        return file.length();
    }

    @Override
    public InputStream getContent() throws IOException {
        return Files.newInputStream(file.toPath());
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = getContent()) {
            byte[] piece = new byte[WRITE_SIZE];
            int n;
            while ((n = in.read(piece)) != -1) {
                out.write(piece, 0, n);
            }
        }
    }

    @Override
    public boolean isRepeatable() {
        return true; // as FileEntity: the file is read again from the start when the request is sent again
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
        // nothing held open between writes
    }
}
