package io.github.rip.packaging;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The content of a package's {@code Manifest.xml}: data project name, description and entities (docs/d365-api.md §3.4).
 *
 * @param definitionGroupName the data project (definition group) name
 * @param description         free text, may be null
 * @param entities            the entities in manifest order
 */
public record PackageManifest(String definitionGroupName, String description, List<PackageEntity> entities) {

    public PackageManifest {
        entities = entities == null ? List.of() : List.copyOf(entities);
    }

    /** The entity whose label equals {@code entityName}, ignoring case. */
    public Optional<PackageEntity> entity(String entityName) {
        return entities.stream()
                .filter(e -> e.entityName() != null
                        && e.entityName().toLowerCase(Locale.ROOT).equals(entityName.toLowerCase(Locale.ROOT)))
                .findFirst();
    }
}
