package io.github.rip.importing;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.rip.support.JobParameters;

/**
 * The threads an import job works on its files with (the templates' {@code threads} step): at most
 * {@code maxInFlight} files at a time, handed over one by one by the inbox consumer, which waits while all are busy.
 * <p>
 * With the default of one, files go to D365 one after another in the job's sort order (D365 applies a job's messages
 * in the order they arrive, and users rely on it), on the consumer's own thread. A larger value is for jobs whose files do not depend on each other: their uploads
 * overlap and their order is no longer kept. Nothing else changes: every file still has its own journal row, claim,
 * retry and duplicate rules.
 * <p>
 * Waiting in the consumer, rather than queueing, keeps the files the job has not started in the inbox and their read
 * locks free: a second runner can take them, and a crash leaves no hand-over queue behind. Idle threads end after a
 * while, so a stopped route leaves none behind.
 */
public class ImportWorkers extends AbstractExecutorService {

    private static final long IDLE_SECONDS = 30;
    private static final long WAIT_MILLIS = 500;

    private String jobName = "import";
    private int maxInFlight = 1;
    private volatile Semaphore free;
    private volatile ThreadPoolExecutor threads;

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    /** 1 (the default: one file at a time, in order) to 64. */
    public void setMaxInFlight(String maxInFlight) {
        this.maxInFlight = Integer.parseInt(JobParameters.checked(jobName, JobParameters.MAX_IN_FLIGHT, maxInFlight));
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    /**
     * Runs the rest of a file's route on a free thread; waits for one while {@code maxInFlight} files are worked on.
     * One file at a time stays on the inbox consumer's own thread, as without this step: no hand-over per file, and the
     * sort order holds without further thought.
     */
    @Override
    public void execute(Runnable file) {
        if (maxInFlight == 1) {
            file.run();
            return;
        }
        ThreadPoolExecutor pool = pool();
        try {
            while (!free.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                if (pool.isShutdown()) {
                    throw new RejectedExecutionException(jobName + ": its import threads have been stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException(jobName + ": interrupted while waiting for a free import thread", e);
        }
        try {
            pool.execute(() -> {
                try {
                    file.run();
                } finally {
                    free.release();
                }
            });
        } catch (RejectedExecutionException e) {
            free.release();
            throw e;
        }
    }

    private ThreadPoolExecutor pool() {
        ThreadPoolExecutor pool = threads;
        if (pool == null) {
            synchronized (this) {
                if (threads == null) {
                    free = new Semaphore(maxInFlight);
                    // never more queued than there are permits: the semaphore is the limit, the queue only a hand-over
                    ThreadPoolExecutor created = new ThreadPoolExecutor(maxInFlight, maxInFlight, IDLE_SECONDS,
                            TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threadFactory());
                    created.allowCoreThreadTimeOut(true);
                    threads = created;
                }
                pool = threads;
            }
        }
        return pool;
    }

    private ThreadFactory threadFactory() {
        AtomicInteger count = new AtomicInteger();
        String prefix = jobName + " import #";
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            // an idle worker must never keep the JVM alive; a running one is waited for by Camel's graceful shutdown
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void shutdown() {
        pool().shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return pool().shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return pool().isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool().isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool().awaitTermination(timeout, unit);
    }
}
