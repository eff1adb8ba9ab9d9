package io.github.rip.packaging;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * How {@link PackageBuilder} writes a package: project name, description, manifest encoding, compression, entity flags.
 *
 * @param definitionGroupName      the data project name written as DefinitionGroupName
 * @param description              Description of manifest and header; null is written as {@code i:nil}
 * @param manifestCharset          UTF-16LE (with BOM, no XML declaration, like D365 itself) or UTF-8 (declaration,
 *                                 no BOM); UTF-16 means UTF-16LE, UTF-16BE is written with its BOM
 * @param compressionLevel         0–9 or {@link Deflater#DEFAULT_COMPRESSION}
 * @param runBusinessLogic         RunBusinessLogic of every entity
 * @param runBusinessValidation    RunBusinessValidation of every entity
 * @param failExecutionUnitOnError FailExecutionUnitOnError of every entity
 * @param failLevelOnError         FailLevelOnError of every entity
 */
public record PackageOptions(String definitionGroupName, String description, Charset manifestCharset,
                             int compressionLevel, boolean runBusinessLogic, boolean runBusinessValidation,
                             boolean failExecutionUnitOnError, boolean failLevelOnError) {

    public PackageOptions {
        if (definitionGroupName == null || definitionGroupName.isBlank()) {
            throw new IllegalArgumentException("The package needs a definition group (data project) name");
        }
        manifestCharset = ManifestWriter.checkCharset(manifestCharset == null ? StandardCharsets.UTF_16LE
                : manifestCharset);
        if (compressionLevel != Deflater.DEFAULT_COMPRESSION && (compressionLevel < 0 || compressionLevel > 9)) {
            throw new IllegalArgumentException("Compression level must be 0-9 or -1 (default), not "
                    + compressionLevel);
        }
    }

    /**
     * UTF-16LE manifest, default compression, business logic on and business validation off (the defaults of a new
     * DMF data project entity), no fail-on-error flags; the description is the project name, as in D365 exports.
     */
    public static PackageOptions defaults(String definitionGroupName) {
        return new PackageOptions(definitionGroupName, definitionGroupName, StandardCharsets.UTF_16LE,
                Deflater.DEFAULT_COMPRESSION, true, false, false, false);
    }

    public PackageOptions withDescription(String newDescription) {
        return new PackageOptions(definitionGroupName, newDescription, manifestCharset, compressionLevel,
                runBusinessLogic, runBusinessValidation, failExecutionUnitOnError, failLevelOnError);
    }

    public PackageOptions withManifestCharset(Charset charset) {
        return new PackageOptions(definitionGroupName, description, charset, compressionLevel,
                runBusinessLogic, runBusinessValidation, failExecutionUnitOnError, failLevelOnError);
    }

    public PackageOptions withCompressionLevel(int level) {
        return new PackageOptions(definitionGroupName, description, manifestCharset, level,
                runBusinessLogic, runBusinessValidation, failExecutionUnitOnError, failLevelOnError);
    }

    public PackageOptions withBusinessLogic(boolean logic, boolean validation) {
        return new PackageOptions(definitionGroupName, description, manifestCharset, compressionLevel,
                logic, validation, failExecutionUnitOnError, failLevelOnError);
    }

    public PackageOptions withFailOnError(boolean executionUnit, boolean level) {
        return new PackageOptions(definitionGroupName, description, manifestCharset, compressionLevel,
                runBusinessLogic, runBusinessValidation, executionUnit, level);
    }
}
