package io.github.rip.journal;

import java.util.Arrays;

/**
 * A file's legal entity as the journal sees it. A job with one company for all files ({@link #of(String, boolean)}
 * with perFile false) tells files apart by name alone, as it always did; a job that takes the company per file
 * (companyFrom) tells them apart by company and name: inbox/USMF/a.csv and inbox/DEMF/a.csv are two files, each
 * with its own claim, retries and duplicate check.
 *
 * @param name    the legal entity recorded in the row (null for none)
 * @param perFile whether the company is part of the file's identity
 */
public record JournalCompany(String name, boolean perFile) {

    /** No company recorded, identity by name (the claims of the inbox guard, tests). */
    public static final JournalCompany ANY = new JournalCompany(null, false);

    public static JournalCompany of(String name, boolean perFile) {
        return new JournalCompany(name == null || name.isBlank() ? null : name, perFile);
    }

    String recorded() {
        return name;
    }

    /** What makes a claim unique while it is open: job and file name, and the company when it is per file. */
    String claimKey(String job, String fileName) {
        return perFile ? job + "/" + (name == null ? "" : name) + "/" + fileName : job + "/" + fileName;
    }

    /** The SQL condition that narrows a query to this company (with {@link #args}); empty when names suffice. */
    String condition() {
        return !perFile ? "" : name == null ? " AND company IS NULL" : " AND company = ?";
    }

    Object[] args(Object... before) {
        if (!perFile || name == null) {
            return before;
        }
        Object[] all = Arrays.copyOf(before, before.length + 1);
        all[before.length] = name;
        return all;
    }
}
