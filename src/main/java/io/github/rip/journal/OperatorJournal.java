package io.github.rip.journal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * What operators did through the dashboard or its API: which jobs are paused (so a pause survives a restart) and every
 * action with who and when. Tables of migration V3; plain JDBC like the import and export journals.
 */
public final class OperatorJournal {

    /** A job's stored state, as the last operator left it. */
    public record JobControl(String job, boolean paused, String changedBy, Instant changedAt) {
    }

    /** One action an operator took (or tried: outcome "refused"). */
    public record Action(long id, Instant at, String actor, String job, String action, Long journalId, String outcome,
                         String detail) {
    }

    private final Jdbc jdbc;

    public OperatorJournal(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "Operator journal");
    }

    public Optional<JobControl> control(String job) {
        return jdbc.query("SELECT job, paused, changed_by, changed_at FROM rip_job_control WHERE job = ?", 1,
                OperatorJournal::control, job).stream().findFirst();
    }

    /** Every job an operator paused or resumed. */
    public List<JobControl> controls() {
        return jdbc.query("SELECT job, paused, changed_by, changed_at FROM rip_job_control ORDER BY job",
                Integer.MAX_VALUE, OperatorJournal::control);
    }

    /** Stores a job's pause (or its end); an update first, an insert for a job never touched before. */
    public synchronized void setPaused(String job, boolean paused, String actor) {
        LocalDateTime now = Jdbc.now();
        int updated = jdbc.updateCount("UPDATE rip_job_control SET paused = ?, changed_by = ?, changed_at = ? "
                + "WHERE job = ?", paused, actor, now, job);
        if (updated == 0) {
            jdbc.update("INSERT INTO rip_job_control (job, paused, changed_by, changed_at) VALUES (?, ?, ?, ?)",
                    job, paused, actor, now);
        }
    }

    /** Records an action; {@code journalId} is the import or export row it was about, or null. */
    public void record(String actor, String job, String action, Long journalId, String outcome, String detail) {
        String text = Jdbc.text(detail);
        jdbc.update("INSERT INTO rip_operator_action (acted_at, actor, job, action, journal_id, outcome, detail) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", Jdbc.now(), actor, job, action, journalId, outcome,
                text == null || text.length() <= 4000 ? text : text.substring(0, 4000));
    }

    /** A job's actions, newest first. */
    public List<Action> actions(String job, int limit) {
        return jdbc.query("SELECT id, acted_at, actor, job, action, journal_id, outcome, detail FROM rip_operator_action "
                + "WHERE job = ? ORDER BY id DESC", limit, OperatorJournal::action, job);
    }

    private static JobControl control(ResultSet rs) throws SQLException {
        return new JobControl(rs.getString("job"), rs.getBoolean("paused"), rs.getString("changed_by"),
                Jdbc.instant(rs, "changed_at"));
    }

    private static Action action(ResultSet rs) throws SQLException {
        Number journalId = (Number) rs.getObject("journal_id");
        return new Action(rs.getLong("id"), Jdbc.instant(rs, "acted_at"), rs.getString("actor"), rs.getString("job"),
                rs.getString("action"), journalId == null ? null : journalId.longValue(), rs.getString("outcome"),
                rs.getString("detail"));
    }
}
