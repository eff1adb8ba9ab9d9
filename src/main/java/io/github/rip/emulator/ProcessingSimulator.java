package io.github.rip.emulator;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * D365's batch side: a message waits {@code processingDelay} as Enqueued, turns InProcess while
 * {@link MessageProcessor} reads it, stays InProcess at least {@code processingTime}, then takes its terminal state.
 * Every transition is persisted; on start, {@link #resume()} picks up what a previous run left unfinished (an
 * interrupted InProcess message is processed again from the start).
 */
final class ProcessingSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessingSimulator.class);

    private final MessageStore store;
    private final EmulatorRegistry registry;
    private final MessageProcessor processor;
    private final Duration delay;
    private final Duration processingTime;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    ProcessingSimulator(MessageStore store, EmulatorRegistry registry, MessageProcessor processor, Duration delay,
                        Duration processingTime, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.processor = processor;
        this.delay = delay;
        this.processingTime = processingTime;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "d365-emulator-processing-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // On stop, pending transitions are dropped (they are persisted and resumed on the next start).
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Schedules every message a previous run left Enqueued or InProcess. */
    void resume() {
        List<EmulatorMessage> unfinished = store.all().stream().filter(m -> !m.state().isTerminal()).toList();
        if (!unfinished.isEmpty()) {
            LOG.info("Resuming {} unfinished message(s)", unfinished.size());
        }
        unfinished.forEach(this::schedule);
    }

    void schedule(EmulatorMessage message) {
        long wait = message.state() == DataJobState.ENQUEUED
                ? Math.max(0, Duration.between(clock.instant(), message.receivedAt().plus(delay)).toMillis()) : 0;
        executor.schedule(() -> start(message.id()), wait, TimeUnit.MILLISECONDS);
    }

    private void start(String id) {
        try {
            Instant startedAt = clock.instant();
            EmulatorMessage message = store.update(id, m -> m.inProcess(startedAt)).orElse(null);
            if (message == null) {
                return;
            }
            ProcessingOutcome outcome = registry.job(message.activityId())
                    .map(job -> processor.process(message, job))
                    .orElseGet(() -> new ProcessingOutcome(DataJobState.PRE_PROCESS_ERROR, null, "Recurring job "
                            + message.activityId() + " is no longer configured in the emulator.", List.of()));
            long remaining = Math.max(0, Duration.between(clock.instant(), startedAt.plus(processingTime)).toMillis());
            executor.schedule(() -> finish(id, outcome), remaining, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not start processing message {}", id, e);
        }
    }

    private void finish(String id, ProcessingOutcome outcome) {
        try {
            store.update(id, m -> m.completed(outcome.state(), clock.instant(), outcome));
            LOG.info("Message {} processed: {}", id, outcome.state().wireName());
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not record the outcome of message {}", id, e);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
