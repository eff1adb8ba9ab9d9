package io.github.rip.sftp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import io.github.rip.journal.ImportJournal;
import io.github.rip.support.JobParameters;
import io.github.rip.support.Settings;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.remote.SftpConfiguration;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.apache.camel.component.file.strategy.GenericFileProcessStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SFTP inbox's settings, set from the d365-sftp-import template's parameters and checked when the job starts; the
 * password and key passphrase are read here from their named secrets and handed to the endpoint before the first login.
 */
public abstract class SftpInboxSettings extends GenericFileProcessStrategySupport<SftpRemoteFile> {

    private static final Logger LOG = LoggerFactory.getLogger(SftpInboxSettings.class);

    protected ImportJournal journal;
    protected String jobName;
    protected String host;
    protected int port = 22;
    protected String username;
    protected String remoteFolder;
    private String passwordSecret = "";
    private String privateKeyPassphraseSecret = "";
    private String password;
    private String privateKeyPassphrase;
    protected String knownHostsFile;
    protected String strictHostKeyChecking = "yes";
    protected String afterImport = "move";
    protected String remoteSentFolder = "sent";
    protected String remoteFailedFolder = "failed";
    protected String doneFileSuffix = "";
    protected Duration readLockMinAge = Duration.ofSeconds(10);
    protected Duration problemReminder = Duration.ofMinutes(10);

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (!"move".equalsIgnoreCase(afterImport) && !"delete".equalsIgnoreCase(afterImport)) {
            throw new IllegalArgumentException("SFTP job '" + jobName + "': afterImport must be move or delete, not '"
                    + afterImport + "'");
        }
        Settings settings = new Settings(getCamelContext());
        password = readSecret(settings, passwordSecret, "passwordSecret");
        privateKeyPassphrase = readSecret(settings, privateKeyPassphraseSecret, "privateKeyPassphraseSecret");
        SftpProblem.Server server = server();
        if ("no".equalsIgnoreCase(strictHostKeyChecking)) {
            LOG.warn("SFTP job '{}' ({}): host key checking is OFF (strictHostKeyChecking=no): any server answering "
                    + "there, or anyone in between, gets the login and the files. Use a known_hosts file instead.",
                    jobName, server.name());
        } else if (knownHostsFile == null || knownHostsFile.isBlank() || !Files.exists(Path.of(knownHostsFile))) {
            LOG.error("SFTP job '{}' ({}): the known_hosts file {} does not exist, so the server cannot be trusted and "
                    + "the job cannot connect. Add the server's host key line to it (ask the server's owner for the "
                    + "fingerprint).", jobName, server.name(), server.knownHostsPath());
        }
    }

    @Override
    public void prepareOnStartup(GenericFileOperations<SftpRemoteFile> operations,
                                 GenericFileEndpoint<SftpRemoteFile> endpoint) throws Exception {
        // before the first login; the secrets never pass through an endpoint URI
        SftpConfiguration configuration = ((SftpEndpoint) endpoint).getConfiguration();
        if (password != null) {
            configuration.setPassword(password);
        }
        if (privateKeyPassphrase != null) {
            configuration.setPrivateKeyPassphrase(privateKeyPassphrase);
        }
        super.prepareOnStartup(operations, endpoint);
    }

    /** A secret by name (env NAME_IN_CAPS, file named by NAME_IN_CAPS_FILE, or property); null when no name is given. */
    private String readSecret(Settings settings, String name, String parameter) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String value = settings.secret(name.trim());
        if (value == null) {
            String variable = name.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            LOG.error("SFTP job '{}': the secret '{}' ({}) is not set; give it as environment variable {} or in a "
                    + "file named by {}_FILE. The login will fail until then.", jobName, name, parameter, variable,
                    variable);
        }
        return value;
    }

    protected SftpProblem.Server server() {
        return new SftpProblem.Server("SFTP job '" + jobName + "'", host, port, username, knownHostsFile, remoteFolder);
    }

    // --- settings, from the route template's parameters ---

    public void setJournal(ImportJournal journal) {
        this.journal = journal;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setRemoteFolder(String remoteFolder) {
        this.remoteFolder = remoteFolder;
    }

    public void setPasswordSecret(String passwordSecret) {
        this.passwordSecret = passwordSecret;
    }

    public void setPrivateKeyPassphraseSecret(String privateKeyPassphraseSecret) {
        this.privateKeyPassphraseSecret = privateKeyPassphraseSecret;
    }

    public void setKnownHostsFile(String knownHostsFile) {
        this.knownHostsFile = knownHostsFile;
    }

    /** yes or no. */
    public void setStrictHostKeyChecking(String strictHostKeyChecking) {
        this.strictHostKeyChecking = JobParameters.choice(jobName, JobParameters.STRICT_HOST_KEY_CHECKING,
                strictHostKeyChecking);
    }

    /** move or delete. */
    public void setAfterImport(String afterImport) {
        this.afterImport = JobParameters.choice(jobName, JobParameters.AFTER_IMPORT, afterImport);
    }

    public void setRemoteSentFolder(String remoteSentFolder) {
        this.remoteSentFolder = stripTrailingSlash(remoteSentFolder);
    }

    public void setRemoteFailedFolder(String remoteFailedFolder) {
        this.remoteFailedFolder = stripTrailingSlash(remoteFailedFolder);
    }

    public void setDoneFileSuffix(String doneFileSuffix) {
        this.doneFileSuffix = doneFileSuffix == null ? "" : doneFileSuffix.trim();
    }

    /** 10s, 500ms, or plain milliseconds ({@link io.github.rip.support.Durations}). */
    public void setReadLockMinAge(String readLockMinAge) {
        this.readLockMinAge = JobParameters.duration(jobName, "readLockMinAge", readLockMinAge);
    }

    public void setProblemReminder(String problemReminder) {
        this.problemReminder = JobParameters.duration(jobName, "problemReminder", problemReminder);
    }

    private static String stripTrailingSlash(String folder) {
        String f = folder.trim();
        return f.length() > 1 && f.endsWith("/") ? f.substring(0, f.length() - 1) : f;
    }
}
