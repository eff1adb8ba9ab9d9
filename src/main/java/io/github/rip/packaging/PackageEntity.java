package io.github.rip.packaging;

import java.util.List;

/**
 * One {@code DataManagementPackageEntityData} of a manifest (docs/d365-api.md §3.4).
 *
 * @param entityName               the entity label as shown in DMF (e.g. {@code Customer groups}), not the AOT name
 * @param inputFilePath            the data file's entry name inside the zip
 * @param sourceFormat             the data-source name, e.g. {@code CSV-Unicode}, {@code XML-Element}, {@code EXCEL}
 * @param executionUnit            execution unit (units run in parallel)
 * @param levelInExecutionUnit     level inside the unit (levels run one after another)
 * @param sequenceInLevel          sequence inside the level
 * @param fieldMap                 the {@code XMLField} column names of the {@code EntityMapList}, in document order;
 *                                 maps without a source column (auto-default) are left out
 * @param failExecutionUnitOnError whether an error stops the whole execution unit
 * @param failLevelOnError         whether an error stops the level
 * @param runBusinessLogic         whether D365 runs the entity's business logic
 * @param runBusinessValidation    whether D365 runs the entity's validations
 */
public record PackageEntity(String entityName, String inputFilePath, String sourceFormat, int executionUnit,
                            int levelInExecutionUnit, int sequenceInLevel, List<String> fieldMap,
                            boolean failExecutionUnitOnError, boolean failLevelOnError, boolean runBusinessLogic,
                            boolean runBusinessValidation) {

    public PackageEntity {
        fieldMap = fieldMap == null ? List.of() : List.copyOf(fieldMap);
    }

    /** The position as the D365 UI shows it, e.g. {@code 1.2.3}. */
    public String position() {
        return executionUnit + "." + levelInExecutionUnit + "." + sequenceInLevel;
    }
}
