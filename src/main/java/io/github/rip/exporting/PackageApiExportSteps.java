package io.github.rip.exporting;

import org.apache.camel.Exchange;

/**
 * Steps of package API export jobs outside their template's route: the fetch route ({@code d365-package-api-fetch})
 * and the error handler (routeConfiguration d365-package-api-export), handed to the polling job ({@link ExportJob#JOB}),
 * which they cannot name as the template's route does.
 */
public final class PackageApiExportSteps {

    private PackageApiExportSteps() {
    }

    public static void packageUrlCall(Exchange exchange) {
        exchange.getProperty(ExportJob.JOB, PackageApiExportJob.class).packageUrlCall(exchange);
    }

    public static void packageUrlReceived(Exchange exchange) throws java.io.IOException {
        exchange.getProperty(ExportJob.JOB, PackageApiExportJob.class).packageUrlReceived(exchange);
    }

    public static void refused(Exchange exchange) {
        if (exchange.getProperty(ExportJob.JOB) instanceof PackageApiExportJob job) {
            job.refused(exchange);
        }
    }

    public static void quarantined(Exchange exchange) {
        if (exchange.getProperty(ExportJob.JOB) instanceof PackageApiExportJob job) {
            job.quarantined(exchange);
        }
    }
}
