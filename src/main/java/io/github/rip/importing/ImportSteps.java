package io.github.rip.importing;

import java.io.IOException;

import io.github.rip.packaging.PackageBuildException;
import org.apache.camel.Exchange;

/**
 * The steps of the import pipeline shared by every import template (d365-import-pipeline.camel.yaml): each hands
 * the exchange to the job that claimed the file ({@link ImportFile#getJob()}), so one route serves folder, SFTP and
 * package jobs while each job keeps its own behaviour.
 */
public final class ImportSteps {

    private ImportSteps() {
    }

    public static void resume(Exchange exchange) {
        job(exchange).resume(exchange);
    }

    public static void checkXmlInput(Exchange exchange) {
        job(exchange).checkXmlInput(exchange);
    }

    public static String transformTarget(Exchange exchange) throws IOException {
        return job(exchange).transformTarget(exchange);
    }

    public static void transformed(Exchange exchange) {
        job(exchange).transformed(exchange);
    }

    public static void prepare(Exchange exchange) throws IOException, PackageBuildException {
        job(exchange).prepare(exchange);
    }

    public static void prepareEnqueue(Exchange exchange) {
        job(exchange).prepareEnqueue(exchange);
    }

    public static void enqueued(Exchange exchange) {
        job(exchange).enqueued(exchange);
    }

    private static ImportJob job(Exchange exchange) {
        return ImportFile.of(exchange).getJob();
    }
}
