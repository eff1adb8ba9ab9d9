package io.github.rip.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import com.zaxxer.hikari.HikariDataSource;

import io.github.rip.support.Sha256;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every journal transition two runners can race on is one conditional statement: here {@value #RUNNERS} threads, each
 * with its own connection (as separate runners have), start the same transition at the same instant (a barrier), over
 * and over; every round exactly one wins. On H2 and on a real PostgreSQL 15 (where the races of a cluster happen).
 */
class RunnerRacesTest {

    private static final int RUNNERS = 4;
    private static final int ROUNDS = 40;

    enum Db { H2, POSTGRESQL }

    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @EnumSource(Db.class)
    @interface OnBothDatabases {
    }

    private static final Map<Db, HikariDataSource> DATA_SOURCES = new EnumMap<>(Db.class);
    private static PostgresCluster postgres;
    private static ExecutorService threads;

    @TempDir
    static Path folder;

    @BeforeAll
    static void openDatabases() throws Exception {
        postgres = PostgresCluster.start();
        DATA_SOURCES.put(Db.H2, Database.open("jdbc:h2:file:" + folder.resolve("db/rip"), "rip", null));
        DATA_SOURCES.put(Db.POSTGRESQL, Database.open(postgres.jdbcUrl(), postgres.user(), postgres.password()));
        for (HikariDataSource dataSource : DATA_SOURCES.values()) {
            JournalSchema.migrate(dataSource);
        }
        threads = Executors.newFixedThreadPool(RUNNERS);
    }

    @AfterAll
    static void closeDatabases() {
        threads.shutdownNow();
        DATA_SOURCES.values().forEach(HikariDataSource::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    @OnBothDatabases
    void aFileIsClaimedByOneRunnerOnly(Db db) throws Exception {
        ImportJournal journal = new ImportJournal(DATA_SOURCES.get(db));
        for (int round = 0; round < ROUNDS; round++) {
            String name = "claim-" + round + ".csv";
            List<Boolean> outcomes = race(runner -> journal.claim("orders", name, "/in/" + name, 1, null, "sha",
                    "act", "/p", "/f").isPresent());
            assertThat(outcomes).as("round %d", round).containsOnlyOnce(true);
        }
    }

    @OnBothDatabases
    void aWaitingFileIsRetriedByOneRunnerOnly(Db db) throws Exception {
        ImportJournal journal = new ImportJournal(DATA_SOURCES.get(db));
        for (int round = 0; round < ROUNDS; round++) {
            long id = journal.claim("orders", "retry-" + round + ".csv", "/in/r", 1, null, "sha", "act", "/p", "/f")
                    .getAsLong();
            int seen = journal.find(id).orElseThrow().attempts();
            List<Boolean> outcomes = race(runner -> journal.retryAttempt(id, seen, 1, null, "sha"));
            assertThat(outcomes).as("round %d", round).containsOnlyOnce(true);
            assertThat(journal.find(id).orElseThrow().attempts()).isEqualTo(seen + 1);
        }
    }

    @OnBothDatabases
    void anAcceptedFileIsRecordedOnceAndFinishedOnce(Db db) throws Exception {
        ImportJournal journal = new ImportJournal(DATA_SOURCES.get(db));
        for (int round = 0; round < ROUNDS; round++) {
            long id = journal.claim("orders", "enq-" + round + ".csv", "/in/e", 1, null, "sha", "act", "/p", "/f")
                    .getAsLong();
            List<Boolean> outcomes = race(runner -> journal.enqueued(id, "msg-" + runner, "/sent/" + runner));
            assertThat(outcomes).as("round %d", round).containsOnlyOnce(true);
            String winner = "msg-" + outcomes.indexOf(true);
            assertThat(journal.find(id).orElseThrow().messageId()).isEqualTo(winner);
            // the claim is closed: the name may be claimed again (a new file of the same name)
            assertThat(journal.claim("orders", "enq-" + round + ".csv", "/in/e", 1, null, "sha2", "act", "/p", "/f"))
                    .isPresent();
        }
    }

    @OnBothDatabases
    void anExportMessageIsTakenByOneRunnerOnly(Db db) throws Exception {
        ExportJournal journal = new ExportJournal(DATA_SOURCES.get(db));
        for (int round = 0; round < ROUNDS; round++) {
            String correlationId = "corr-open-" + round;
            List<Boolean> first = race(runner -> journal.open("groups", "act", correlationId, "r" + runner, null)
                    .isPresent());
            assertThat(first).as("first hand-over, round %d", round).containsOnlyOnce(true);

            // D365 hands the message over again and two runners see the redelivery at once
            ExportRecord row = journal.byCorrelationId("groups", correlationId).orElseThrow();
            List<Boolean> again = race(runner -> journal.redequeued(row.id(), row.attempts(), row.state(),
                    "r2-" + runner, null, true));
            assertThat(again).as("redelivery, round %d", round).containsOnlyOnce(true);
            assertThat(journal.find(row.id()).orElseThrow().attempts()).isEqualTo(2);
        }
    }

    @OnBothDatabases
    void anInboxLockIsHeldByOneRunnerAndADeadRunnersLockIsTakenOverByOne(Db db) throws Exception {
        Duration takeoverAfter = Duration.ofSeconds(30);
        List<InboxLocks> runners = new ArrayList<>();
        DefaultCamelContext camel = new DefaultCamelContext();
        for (int i = 0; i < RUNNERS; i++) {
            InboxLocks locks = new InboxLocks(DATA_SOURCES.get(db), "runner-" + i, takeoverAfter);
            locks.setCamelContext(camel);
            runners.add(locks);
        }
        for (int round = 0; round < ROUNDS; round++) {
            String key = "/data/inbox/lock-" + round + ".csv";
            List<Boolean> outcomes = race(runner -> runners.get(runner).add(key));
            assertThat(outcomes).as("new lock, round %d", round).containsOnlyOnce(true);
            int owner = outcomes.indexOf(true);
            // the others neither hold it nor can release it
            int other = (owner + 1) % RUNNERS;
            assertThat(runners.get(other).remove(key)).isFalse();
            assertThat(runners.get(other).contains(key)).isTrue();

            // the owner dies: its lock stops being refreshed; once stale, exactly one of the others takes it over
            age(db, key, takeoverAfter.plusSeconds(1));
            assertThat(runners.get(other).contains(key)).isFalse();
            List<Boolean> takeover = race(runner -> runner != owner && runners.get(runner).add(key));
            assertThat(takeover).as("takeover, round %d", round).containsOnlyOnce(true);
            assertThat(takeover.get(owner)).isFalse();
            runners.get(takeover.indexOf(true)).remove(key);
        }
    }

    @OnBothDatabases
    void aLiveRunnersLockStaysItsOwnWhileItRefreshesIt(Db db) {
        Duration takeoverAfter = Duration.ofSeconds(30);
        InboxLocks alive = new InboxLocks(DATA_SOURCES.get(db), "alive", takeoverAfter);
        InboxLocks other = new InboxLocks(DATA_SOURCES.get(db), "other", takeoverAfter);
        String key = "/data/inbox/refreshed.csv";
        assertThat(alive.add(key)).isTrue();

        age(db, key, takeoverAfter.minusSeconds(1)); // nearly stale ...
        alive.refresh(); // ... but its owner is alive and says so
        age(db, key, Duration.ofSeconds(1));
        assertThat(other.add(key)).isFalse();
        assertThat(alive.remove(key)).isTrue();
        assertThat(other.add(key)).isTrue();
    }

    /** Runs the same step on {@value #RUNNERS} threads released together; returns each runner's outcome. */
    private static List<Boolean> race(IntFunction<Boolean> step) throws Exception {
        CyclicBarrier start = new CyclicBarrier(RUNNERS);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int i = 0; i < RUNNERS; i++) {
            int runner = i;
            futures.add(threads.submit(() -> {
                start.await();
                return step.apply(runner);
            }));
        }
        List<Boolean> outcomes = new ArrayList<>();
        for (Future<Boolean> f : futures) {
            outcomes.add(f.get());
        }
        return outcomes;
    }

    /** Makes a lock look last refreshed {@code ago} (the clock of a runner that stopped refreshing it). */
    private static void age(Db db, String key, Duration ago) {
        LocalDateTime then = LocalDateTime.now(ZoneOffset.UTC).minus(ago);
        try (Connection c = DATA_SOURCES.get(db).getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE rip_inbox_lock SET refreshed_at = TIMESTAMP '" + then.toString().replace('T', ' ')
                    + "' WHERE lock_key = '" + Sha256.ofText(key) + "'");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
