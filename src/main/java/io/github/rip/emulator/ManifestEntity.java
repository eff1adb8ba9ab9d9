package io.github.rip.emulator;

import java.util.List;

/**
 * One {@code DataManagementPackageEntityData} of a received Manifest.xml: what the processing simulator needs of it.
 *
 * @param entityName               the entity label, e.g. {@code Customer groups}; null if the manifest has none
 * @param inputFilePath            the entity file's entry name in the zip; null if the manifest has none
 * @param sourceFormat             the data source, e.g. {@code CSV-Unicode}, {@code XML-Element}; null if none
 * @param executionUnit            units run independently of each other
 * @param levelInExecutionUnit     levels of a unit run one after another
 * @param sequenceInLevel          order inside a level
 * @param mappedColumns            the {@code XMLField} source columns of the {@code EntityMapList}, in document order;
 *                                 maps without a source column (auto-default) are left out
 * @param failExecutionUnitOnError whether an error stops the rest of the unit
 * @param failLevelOnError         whether an error stops the unit's later levels
 */
record ManifestEntity(String entityName, String inputFilePath, String sourceFormat, int executionUnit,
                      int levelInExecutionUnit, int sequenceInLevel, List<String> mappedColumns,
                      boolean failExecutionUnitOnError, boolean failLevelOnError) {

    ManifestEntity {
        mappedColumns = List.copyOf(mappedColumns);
    }

    /** The position as the D365 UI shows it: {@code 1.2.3}. */
    String position() {
        return executionUnit + "." + levelInExecutionUnit + "." + sequenceInLevel;
    }
}
