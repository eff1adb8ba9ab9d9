package io.github.rip.journal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.rip.importing.ImportJob;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.bean.BeanProcessor;

/**
 * The processed/ and failed/ folders of the import jobs running in a Camel context, by job name. The jobs are the
 * route templates' local beans (folder, SFTP and package imports alike), which Camel keeps in no registry: they are
 * found on their routes' bean steps.
 */
public final class ImportArchiveFolders {

    private ImportArchiveFolders() {
    }

    public static Map<String, List<Path>> running(CamelContext context) {
        Map<String, List<Path>> folders = new TreeMap<>();
        for (Route route : context.getRoutes()) {
            for (Processor step : route.filter("*")) {
                if (step instanceof BeanProcessor bean && bean.getBean() instanceof ImportJob job) {
                    folders.putIfAbsent(job.getName(), List.of(job.folder("processed"), job.folder("failed")));
                }
            }
        }
        return folders;
    }
}
