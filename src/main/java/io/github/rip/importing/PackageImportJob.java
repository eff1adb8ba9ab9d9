package io.github.rip.importing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.github.rip.packaging.EntitySpec;
import io.github.rip.packaging.PackageBuildException;
import io.github.rip.packaging.PackageBuilder;
import io.github.rip.packaging.PackageContents;
import io.github.rip.packaging.PackageOptions;
import io.github.rip.packaging.PackageReader;
import io.github.rip.support.Sha256;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An import job whose D365 recurring job takes data packages. Two inputs: a ready-made {@code .zip} (validated locally
 * before upload), or a batch = a subfolder of the inbox holding entity files, complete when its marker file appears;
 * the batch becomes one package with a generated Manifest.xml for all its entities.
 */
public class PackageImportJob extends ImportJob {

    private static final Logger LOG = LoggerFactory.getLogger(PackageImportJob.class);

    private String batchMarker = "batch.ready";
    private String definitionGroup = "";
    private List<EntitySpec> entities = List.of();

    /** Builds the batch's package, or validates a dropped package; a broken one is rejected before any upload. */
    @Override
    public void prepare(Exchange exchange) throws IOException, PackageBuildException {
        ImportFile file = ImportFile.of(exchange);
        if (file.isPrepared()) {
            return; // an in-place retry of the enqueue: the package of this attempt is built and checked
        }
        Path source = file.getSource();
        if (Files.isDirectory(source)) {
            if (entities.isEmpty()) {
                throw new ImportRejectedException("Batch folder " + source.getFileName() + " is complete, but this job "
                        + "declares no packageEntities to build a package from.");
            }
            Path zip = folder("work").resolve(file.getFileName());
            Files.createDirectories(zip.getParent());
            String group = definitionGroup.isBlank() ? getName() : definitionGroup;
            PackageBuilder.build(source, entities, zip, PackageOptions.defaults(group),
                    this::isBatchFile);
            file.setUpload(zip);
            LOG.info("{}: built package {} from batch {}", getName(), zip.getFileName(), source.getFileName());
        }
        PackageContents contents = PackageReader.read(file.getUpload());
        if (!contents.isValid()) {
            throw new ImportRejectedException("The data package is not valid, so it was not sent to D365:\n  - "
                    + String.join("\n  - ", contents.problems()));
        }
        file.prepared();
    }

    @Override
    public void claim(Exchange exchange) {
        Path consumed = exchange.getMessage().getBody(java.io.File.class).toPath().toAbsolutePath();
        if (consumed.getFileName().toString().equals(batchMarker)) {
            // The batch is the marker's folder: the journal, the archive and D365 all see it as one package.
            exchange.getMessage().setBody(consumed.getParent().toFile());
        }
        super.claim(exchange);
    }

    @Override
    protected String uploadName(Path source) {
        return Files.isDirectory(source) ? source.getFileName() + ".zip" : super.uploadName(source);
    }

    @Override
    protected String contentHash(Path source) {
        if (!Files.isDirectory(source)) {
            return super.contentHash(source);
        }
        MessageDigest digest = Sha256.digest();
        for (Path file : batchFiles(source)) {
            digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            Sha256.update(digest, file);
        }
        return Sha256.hex(digest);
    }

    @Override
    protected long contentSize(Path source) {
        if (!Files.isDirectory(source)) {
            return super.contentSize(source);
        }
        return batchFiles(source).stream().mapToLong(f -> f.toFile().length()).sum();
    }

    /** For a batch the built package is what D365 got, so the package is archived; the batch folder then goes away. */
    @Override
    protected void moveToSent(Exchange exchange, Path sent, long id) {
        Path source = ImportFile.of(exchange).getSource();
        if (!Files.isDirectory(source)) {
            super.moveToSent(exchange, sent, id);
            return;
        }
        Path zip = folder("work").resolve(ImportFile.of(exchange).getFileName());
        if (!Files.exists(zip)) {
            // resumed after a crash: the package is rebuilt from the same files (same content, same entities)
            try {
                prepare(exchange);
            } catch (IOException | PackageBuildException e) {
                throw new IllegalStateException("Cannot rebuild package for " + source + ": " + e.getMessage(), e);
            }
        }
        ArchiveFolder.move(zip, sent, id);
        deleteTree(source);
    }

    private List<Path> batchFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(this::isBatchFile)
                    .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Entity files of a batch: not the marker, not Camel's read-lock files. */
    private boolean isBatchFile(Path file) {
        String name = file.getFileName().toString();
        return !name.equals(batchMarker) && !name.endsWith(".camelLock");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Batch folder {} could not be removed after upload: {}", dir, e.getMessage());
        }
    }

    public void setBatchMarker(String batchMarker) {
        this.batchMarker = batchMarker;
    }

    public void setDefinitionGroup(String definitionGroup) {
        this.definitionGroup = definitionGroup;
    }

    /** The entities of generated packages, one per line: {@code Entity label | file glob | unit.level.sequence [| format]}. */
    public void setPackageEntities(String spec) {
        this.entities = spec == null || spec.isBlank() ? List.of() : EntitySpec.parseAll(spec);
    }
}
