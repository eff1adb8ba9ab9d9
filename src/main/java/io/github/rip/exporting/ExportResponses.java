package io.github.rip.exporting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rip.connector.D365Call;
import io.github.rip.connector.D365Environments;
import io.github.rip.connector.D365RefusedException;
import io.github.rip.connector.TransientD365Exception;
import io.github.rip.support.Sha256;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The export side's D365 calls (dequeue, download, ack, made by the call route d365-calls.camel.yaml) and what a
 * successful answer means: a dequeue's text, a download streamed to disk (never held in memory) and hashed on the way.
 * Failures are classified once for all calls by {@link io.github.rip.connector.D365Failures}.
 */
public final class ExportResponses {

    /** Property holding the {@link InFlightMessage}. */
    public static final String MESSAGE = "ripExport";

    private static final Pattern FILENAME = Pattern.compile(
            "filename\\*\\s*=\\s*(?:UTF-8|utf-8)''([^;]+)|filename\\s*=\\s*\"([^\"]*)\"|filename\\s*=\\s*([^;\\s]+)");

    /** The dequeue call of the job polling. */
    public void dequeueCall(Exchange exchange) {
        D365Environments.use(exchange, job(exchange).getEnvironment());
        exchange.setProperty(D365Call.PROPERTY, D365Call.dequeue(job(exchange).getActivityId()));
    }

    /** The download of the message in flight: the checked DownloadLocation's path on the D365 host. */
    public void downloadCall(Exchange exchange) {
        InFlightMessage message = exchange.getProperty(MESSAGE, InFlightMessage.class);
        exchange.setProperty(D365Call.PROPERTY, D365Call.download(job(exchange).getActivityId(),
                message.getDownloadPath(), message.getDownloadQuery()));
    }

    /** The ack of the message in flight, with the dequeue answer as D365 sent it. */
    public void ackCall(Exchange exchange) {
        InFlightMessage message = exchange.getProperty(MESSAGE, InFlightMessage.class);
        exchange.setProperty(D365Call.PROPERTY, D365Call.ack(job(exchange).getActivityId(), message.getDequeueJson()));
    }

    /** Streams a 200 download into the message's package file, hashing it on the way; else the failure. */
    public void download(Exchange exchange) {
        Message in = exchange.getMessage();
        InFlightMessage message = exchange.getProperty(MESSAGE, InFlightMessage.class);
        MessageDigest sha = Sha256.digest();
        long size;
        try (InputStream body = in.getBody(InputStream.class);
             OutputStream out = new DigestOutputStream(Files.newOutputStream(message.getPackagePath(),
                     StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING), sha)) {
            size = body == null ? 0 : body.transferTo(out);
        } catch (IOException e) {
            // a connection cut mid-download: transient, the message comes back
            throw new TransientD365Exception("The download broke off: " + e.getMessage(), e);
        }
        if (size == 0) {
            // nothing to keep: never acknowledge a message for an empty answer, D365 offers it again
            throw new D365RefusedException("Download answered 200 without any content", 200, null);
        }
        message.downloaded(Sha256.hex(sha), size,
                fileName(in.getHeader("Content-Disposition", String.class)));
        in.setBody(message.getPackagePath());
    }

    private static ExportJob job(Exchange exchange) {
        return exchange.getProperty(ExportJob.JOB, ExportJob.class);
    }

    /** The file name in a Content-Disposition header, without any folder part; null when none. */
    static String fileName(String contentDisposition) {
        if (contentDisposition == null) {
            return null;
        }
        Matcher m = FILENAME.matcher(contentDisposition);
        if (!m.find()) {
            return null;
        }
        String name = m.group(1) != null ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8)
                : m.group(2) != null ? m.group(2) : m.group(3);
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
        return name.isEmpty() ? null : name;
    }
}
