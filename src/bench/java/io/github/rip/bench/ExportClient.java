package io.github.rip.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Export baseline: a plain JDK HttpClient making the export calls one after another until the queue is empty:
 * dequeue, download the package to a file in the folder, ack with the dequeue answer. Usage:
 * {@code ExportClient <activityId> <folder>}. Prints {@code messages} and {@code exportSeconds} (token included).
 */
public final class ExportClient {

    private ExportClient() {
    }

    public static void main(String[] args) throws Exception {
        String activityId = args[0];
        Path folder = Files.createDirectories(Path.of(args[1]));
        D365Client client = D365Client.fromEnvironment();
        long t0 = System.nanoTime();
        String bearer = "Bearer " + client.token();
        URI dequeue = URI.create(client.baseUrl + "/api/connector/dequeue/" + activityId);
        URI ack = URI.create(client.baseUrl + "/api/connector/ack/" + activityId);
        int messages = 0;
        while (true) {
            HttpResponse<String> answer = client.http.send(HttpRequest.newBuilder(dequeue)
                    .header("Authorization", bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 204) {
                break;
            }
            check(answer, "dequeue");
            JsonNode message = D365Client.JSON.readTree(answer.body());
            Path file = folder.resolve(message.get("CorrelationId").asText() + ".zip");
            HttpResponse<Path> download = client.http.send(HttpRequest.newBuilder(
                    URI.create(message.get("DownloadLocation").asText())).header("Authorization", bearer).GET()
                    .build(), HttpResponse.BodyHandlers.ofFile(file));
            check(download, "download");
            check(client.http.send(HttpRequest.newBuilder(ack).header("Authorization", bearer)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(answer.body())).build(),
                    HttpResponse.BodyHandlers.ofString()), "ack");
            messages++;
        }
        Measured.value("messages", messages);
        Measured.value("exportSeconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
    }

    private static void check(HttpResponse<?> response, String call) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(call + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }
}
