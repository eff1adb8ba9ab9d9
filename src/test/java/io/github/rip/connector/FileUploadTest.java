package io.github.rip.connector;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The enqueue body: the whole file with its length, in pieces of 64 KB, and again from the start when resent. */
class FileUploadTest {

    @TempDir
    Path folder;

    @Test
    void theFileIsWrittenWholeInPiecesOf64KbAndCanBeSentAgain() throws Exception {
        byte[] content = new byte[FileUpload.WRITE_SIZE * 3 + 123];
        new Random(7).nextBytes(content);
        Path file = Files.write(folder.resolve("orders.csv"), content);
        FileUpload upload = new FileUpload(file.toFile(), "application/octet-stream");
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        OutputStream socket = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("written byte by byte");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                received.write(b, off, len);
            }
        };

        upload.writeTo(socket);
        upload.writeTo(OutputStream.nullOutputStream()); // a 401 answer: the same request once more

        assertThat(upload.getContentLength()).isEqualTo(content.length);
        assertThat(upload.getContentType()).isEqualTo("application/octet-stream");
        assertThat(upload.isRepeatable()).isTrue();
        assertThat(received.toByteArray()).isEqualTo(content);
        assertThat(writes.subList(0, 3)).containsOnly(FileUpload.WRITE_SIZE);
    }
}
