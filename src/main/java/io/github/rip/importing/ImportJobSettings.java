package io.github.rip.importing;

import io.github.rip.journal.ImportJournal;
import io.github.rip.support.JobParameters;

/** An import job's settings, set from its route template's parameters (see d365-file-import.camel.yaml). */
public class ImportJobSettings {

    protected ImportJournal journal;
    protected String name;
    protected String activityId;
    protected String entity = "";
    protected String company = "";
    protected String jobFolder;
    protected String duplicatePolicy = "reject";
    protected int duplicateWindowDays = 30;
    /** Symbolic links in the inbox are refused unless the job allows those that stay inside the inbox. */
    protected boolean allowLinks;

    public void setJournal(ImportJournal journal) {
        this.journal = journal;
    }

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

    public void setEntity(String entity) {
        this.entity = entity;
    }

    public void setCompany(String company) {
        this.company = company;
    }

    public void setJobFolder(String jobFolder) {
        this.jobFolder = jobFolder;
    }

    /** reject or allow; anything else is refused (it used to mean "allow" without a word). */
    public void setDuplicatePolicy(String duplicatePolicy) {
        this.duplicatePolicy = JobParameters.choice(name, JobParameters.DUPLICATE_POLICY, duplicatePolicy);
    }

    public void setDuplicateWindowDays(int duplicateWindowDays) {
        this.duplicateWindowDays = duplicateWindowDays;
    }

    public boolean isAllowLinks() {
        return allowLinks;
    }

    /** true or false only. */
    public void setAllowLinks(String allowLinks) {
        this.allowLinks = JobParameters.flag(name, "allowLinks", allowLinks);
    }
}
