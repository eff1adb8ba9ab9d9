package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blob endpoint of the package API's SAS URLs, on the emulator's own HTTPS server: {@code PUT} of an uploaded
 * package (needs {@code x-ms-blob-type: BlockBlob}; 201), {@code GET} of an exported one. Answers are Azure Storage's:
 * XML error bodies with a code, 403 {@code AuthenticationFailed} for a signature that is wrong or expired.
 *
 * <p>A SAS URL is the only credential: a request that also carries an {@code Authorization} header is counted
 * ({@link #bearerTokensReceived()}, so tests prove none ever arrives) and refused with 403, since a client that sends
 * the D365 token here would send it to any storage host D365 names. What Azure itself does with such a header beside
 * a SAS is unconfirmed.
 */
final class BlobApi {

    private static final Logger LOG = LoggerFactory.getLogger(BlobApi.class);

    private final BlobStore store;
    private final Clock clock;
    private final AtomicInteger bearerTokens = new AtomicInteger();

    BlobApi(BlobStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void register(HttpRouter router) {
        router.route("PUT", "/blob/dmf/{name}", "blob-upload", this::upload)
                .route("GET", "/blob/dmf/{name}", "blob-download", this::download);
    }

    /** Requests to the blob endpoint that carried an Authorization header (all refused). */
    int bearerTokensReceived() {
        return bearerTokens.get();
    }

    private void upload(HttpCall call) throws IOException {
        String name = call.pathParam("name");
        if (refused(call, name, "w")) {
            return;
        }
        if (!call.header("x-ms-blob-type").map(t -> t.trim().equalsIgnoreCase("BlockBlob")).orElse(false)) {
            azureError(call, 400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not"
                    + " specified: x-ms-blob-type (BlockBlob).");
            return;
        }
        Path partial = store.partial(name);
        long size;
        try (InputStream in = call.body(); OutputStream out = Files.newOutputStream(partial)) {
            size = in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial); // a broken upload leaves no blob, as in Azure
            throw e;
        }
        long declared = call.declaredLength();
        if (declared >= 0 && declared != size) {
            Files.deleteIfExists(partial);
            azureError(call, 400, "InvalidInput", "The body holds " + size + " bytes, Content-Length said "
                    + declared + ".");
            return;
        }
        store.commit(name);
        LOG.info("Blob {} uploaded ({} bytes)", name, size);
        call.setHeader("ETag", "\"0x" + Long.toHexString(clock.millis()).toUpperCase() + "\"");
        call.setHeader("x-ms-request-server-encrypted", "true");
        call.sendEmpty(201);
    }

    private void download(HttpCall call) throws IOException {
        String name = call.pathParam("name");
        if (refused(call, name, "r")) {
            return;
        }
        Optional<Path> blob = store.blob(name);
        if (blob.isEmpty()) {
            azureError(call, 404, "BlobNotFound", "The specified blob does not exist.");
            return;
        }
        call.sendFile(200, "application/octet-stream", blob.get(), Files.size(blob.get()));
    }

    /** Answers the refusal, if any: a bearer token, a bad name, or a SAS that does not grant this request now. */
    private boolean refused(HttpCall call, String name, String permission) throws IOException {
        if (call.header("Authorization").isPresent()) {
            bearerTokens.incrementAndGet();
            LOG.warn("{} {}: refused, the request carries an Authorization header; a SAS URL needs none (the header"
                    + " itself is not logged)", call.method(), BlobStore.CONTAINER_PATH + name);
            azureError(call, 403, "AuthenticationFailed", "The request carries an Authorization header beside a "
                    + "shared access signature; the emulator refuses bearer tokens at the blob endpoint.");
            return true;
        }
        if (!BlobStore.isValidName(name)) {
            azureError(call, 400, "InvalidResourceName", "The specified resource name contains invalid characters.");
            return true;
        }
        Instant now = clock.instant();
        Optional<BlobStore.Refusal> refusal = store.check(name, call, permission, now);
        if (refusal.isPresent()) {
            LOG.info("{} {}: SAS refused: {}", call.method(), BlobStore.CONTAINER_PATH + name,
                    refusal.get().detail());
            azureError(call, 403, refusal.get().code(), "Server failed to authenticate the request. Make sure the"
                    + " value of Authorization header is formed correctly including the signature.",
                    refusal.get().detail());
            return true;
        }
        return false;
    }

    private void azureError(HttpCall call, int status, String code, String message) throws IOException {
        azureError(call, status, code, message, null);
    }

    /** Azure Storage's error body: {@code <Error><Code/><Message/>[<AuthenticationErrorDetail/>]</Error>}. */
    private void azureError(HttpCall call, int status, String code, String message, String detail) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String xml = "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>"
                + escape(message) + "\nRequestId:" + requestId + "\nTime:" + clock.instant() + "</Message>"
                + (detail == null ? "" : "<AuthenticationErrorDetail>" + escape(detail)
                + "</AuthenticationErrorDetail>") + "</Error>";
        call.setHeader("x-ms-error-code", code);
        call.setHeader("x-ms-request-id", requestId);
        call.send(status, "application/xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
