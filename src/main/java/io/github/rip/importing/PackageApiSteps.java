package io.github.rip.importing;

import org.apache.camel.Exchange;

/**
 * The steps of the package API's upload route ({@code d365-package-api-upload}, d365-package-api-import.camel.yaml),
 * handed to the {@link PackageApiImportJob} that claimed the file, as {@link ImportSteps} does for the pipeline.
 */
public final class PackageApiSteps {

    private PackageApiSteps() {
    }

    public static void writeUrlReceived(Exchange exchange) {
        job(exchange).writeUrlReceived(exchange);
    }

    public static void blobUploaded(Exchange exchange) {
        job(exchange).blobUploaded(exchange);
    }

    private static PackageApiImportJob job(Exchange exchange) {
        return (PackageApiImportJob) ImportFile.of(exchange).getJob();
    }
}
