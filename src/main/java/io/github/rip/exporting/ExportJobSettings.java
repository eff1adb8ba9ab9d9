package io.github.rip.exporting;

import java.nio.file.Path;
import java.time.Duration;

import io.github.rip.support.JobParameters;

/**
 * What an export job is told by its route template's parameters (the template's {@code settings:} block): each value
 * checked as it is set, the whole checked once at startup ({@link #validate()}). An {@link ExportJob} holds one.
 */
public class ExportJobSettings {

    private String name;
    private String activityId;
    private String jobFolder;
    private String d365BaseUrl;
    private String environment = "";
    private boolean unzip;
    private boolean keepPackageFiles;
    private TransformRules transforms = TransformRules.parse("");
    private String fileNamePattern = "";
    private int maxMessagesPerPoll = 50;
    private String duplicates = "skip";
    private Duration duplicateContentWindow = Duration.ofDays(1);
    private boolean ackWithoutFile;
    private String target;
    private String deliveryUri;

    /** Fails the job's start with a clear message instead of failing every message later (template initMethod). */
    public void validate() {
        require(name, "jobName");
        require(activityId, "activityId");
        require(jobFolder, "jobFolder");
        require(target, "target");
        String problem = null;
        if (!transforms.isEmpty() && !unzip) {
            problem = "transform needs unzip=true (stylesheets apply to the package's entity files)";
        } else if (maxMessagesPerPoll < 1) {
            problem = "maxMessagesPerPoll must be 1 or more";
        } else if (!transforms.missingStylesheets().isEmpty()) {
            problem = "stylesheet(s) not found: " + transforms.missingStylesheets() + " (relative paths start in "
                    + Path.of("").toAbsolutePath() + ")";
        }
        if (problem != null) {
            throw new IllegalArgumentException("Export job '" + name + "': " + problem);
        }
        DeliveryNames.validate(fileNamePattern);
        deliveryUri = TargetUri.withDefaults(target, name);
    }

    private void require(String value, String parameter) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Export job '" + name + "' needs the parameter " + parameter);
        }
    }

    /** One of the job's folders: work, failed. */
    public Path folder(String which) {
        return Path.of(jobFolder, which).toAbsolutePath();
    }

    /** The target URI files are sent to (with a temporary name for folder targets). */
    public String deliveryUri() {
        if (deliveryUri == null) {
            validate();
        }
        return deliveryUri;
    }

    boolean deliverDuplicates() {
        return "deliver".equals(duplicates);
    }

    /** The base URL a template gave (older templates); the environment's own is used when the dequeue names it. */
    String d365BaseUrl() {
        return d365BaseUrl;
    }

    /** The D365 environment the job talks to: "" for the default one, else a name from d365.environments.*. */
    public String getEnvironment() {
        return environment;
    }

    public void setEnvironment(String environment) {
        this.environment = environment == null ? "" : environment.trim();
    }

    boolean unzip() {
        return unzip;
    }

    boolean keepPackageFiles() {
        return keepPackageFiles;
    }

    TransformRules transforms() {
        return transforms;
    }

    String fileNamePattern() {
        return fileNamePattern;
    }

    int maxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    Duration duplicateContentWindow() {
        return duplicateContentWindow;
    }

    boolean ackWithoutFile() {
        return ackWithoutFile;
    }

    // --- set from the route template's parameters ---

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getActivityId() {
        return activityId;
    }

    public void setActivityId(String activityId) {
        this.activityId = activityId;
    }

    public void setJobFolder(String jobFolder) {
        this.jobFolder = jobFolder;
    }

    public void setTarget(String target) {
        this.target = target;
        this.deliveryUri = null;
    }

    public void setD365BaseUrl(String d365BaseUrl) {
        this.d365BaseUrl = d365BaseUrl;
    }

    /** true or false only (so for the next two). */
    public void setUnzip(String unzip) {
        this.unzip = JobParameters.flag(name, "unzip", unzip);
    }

    public void setKeepPackageFiles(String keepPackageFiles) {
        this.keepPackageFiles = JobParameters.flag(name, "keepPackageFiles", keepPackageFiles);
    }

    public void setTransform(String transform) {
        this.transforms = TransformRules.parse(transform);
    }

    public void setFileNamePattern(String fileNamePattern) {
        this.fileNamePattern = fileNamePattern == null ? "" : fileNamePattern.trim();
    }

    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    /** skip or deliver. */
    public void setDuplicates(String duplicates) {
        this.duplicates = JobParameters.choice(name, JobParameters.DUPLICATES, duplicates);
    }

    /** How far back a package with the same SHA-256 counts as already delivered: 30s, 24h, 7d; 0 = never. */
    public void setDuplicateContentWindow(String window) {
        this.duplicateContentWindow = JobParameters.duration(name, "duplicateContentWindow", window);
    }

    public void setAckWithoutFile(String ackWithoutFile) {
        this.ackWithoutFile = JobParameters.flag(name, "ackWithoutFile", ackWithoutFile);
    }
}
