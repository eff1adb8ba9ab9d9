package io.github.rip.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fixtures of the package API ITs: jobs of the package API templates written into a routes folder, packages dropped. */
final class PackageApiJobs {

    /** The emulator's package import job's data project (emulator.yaml: "Master data package"). */
    static final String IMPORT_PROJECT = "Master data package";
    /** The emulator's export job's data project (emulator.yaml: "Customer groups export"). */
    static final String EXPORT_PROJECT = "Customer groups export";

    private PackageApiJobs() {
    }

    /** Writes one job (a templatedRoute of {@code template}) with these parameters. */
    static void write(Path routes, String template, String jobName, Map<String, String> parameters) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("jobName", jobName);
        params.putAll(parameters);
        StringBuilder yaml = new StringBuilder("# test job " + jobName + "\n- templatedRoute:\n"
                + "    routeTemplateRef: " + template + "\n    routeId: " + jobName + "\n    parameters:\n");
        params.forEach((k, v) -> yaml.append("      - name: ").append(k).append("\n        value: \"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\"\n"));
        try {
            Files.createDirectories(routes);
            Files.writeString(routes.resolve(jobName + ".camel.yaml"), yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Drops a data package of one entity file "Customer groups.csv" with these CSV rows (after the header
     * CUSTOMERGROUPID,DESCRIPTION) into the inbox: built beside it, then moved in whole.
     */
    static Path dropPackage(Path data, Path inbox, String name, String rows) throws Exception {
        Path build = Files.createDirectories(data.resolve("packages"));
        Path zip = ExportFixtures.dataPackage(build.resolve(name), Map.of("Customer groups.csv",
                "CUSTOMERGROUPID,DESCRIPTION\r\n" + rows));
        Files.createDirectories(inbox);
        return Files.move(zip, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
