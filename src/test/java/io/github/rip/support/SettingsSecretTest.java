package io.github.rip.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a secret comes from: environment, a file named by _FILE, a systemd credential, the properties; in that order. */
class SettingsSecretTest {

    private final CamelContext context = new DefaultCamelContext();
    private final Settings settings = new Settings(context);

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void aSystemdCredentialNamedAfterTheSettingIsRead() throws Exception {
        Path credentials = Files.createDirectory(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("d365.client-secret"), "from-systemd\n");
        Map<String, String> env = Map.of("CREDENTIALS_DIRECTORY", credentials.toString());

        assertThat(settings.secret("d365.client-secret", env)).isEqualTo("from-systemd");
        // a credential the unit does not load is simply absent: the next source (here: none) answers
        assertThat(settings.secret("rip.db.password", env)).isNull();
    }

    @Test
    void aCredentialsFolderLoadedByTheShippedUnitArrivesWithItsPrefix() throws Exception {
        // LoadCredential=rip:/etc/recurring-integrations-pack/credentials: the file rip.db.password -> rip_rip.db.password
        Path credentials = Files.createDirectory(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("rip_rip.db.password"), "from-folder");

        assertThat(settings.secret("rip.db.password", Map.of("CREDENTIALS_DIRECTORY", credentials.toString())))
                .isEqualTo("from-folder");
    }

    @Test
    void theEnvironmentAndAFileNamedByItWinOverACredential() throws Exception {
        Path credentials = Files.createDirectory(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("rip.db.password"), "from-systemd");
        Path file = Files.writeString(dir.resolve("db-password"), "from-file");

        assertThat(settings.secret("rip.db.password", Map.of("CREDENTIALS_DIRECTORY", credentials.toString(),
                "RIP_DB_PASSWORD", "from-env"))).isEqualTo("from-env");
        assertThat(settings.secret("rip.db.password", Map.of("CREDENTIALS_DIRECTORY", credentials.toString(),
                "RIP_DB_PASSWORD_FILE", file.toString()))).isEqualTo("from-file");
    }

    @Test
    void withoutCredentialsThePropertiesAnswer() {
        Properties properties = new Properties();
        properties.setProperty("sftp.partner-a.password", "from-properties");
        context.getPropertiesComponent().setInitialProperties(properties);

        assertThat(settings.secret("sftp.partner-a.password", Map.of("CREDENTIALS_DIRECTORY", dir.toString())))
                .isEqualTo("from-properties");
        assertThat(settings.secret("sftp.partner-a.password", Map.of())).isEqualTo("from-properties");
    }
}
