package io.github.rip.it;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import static org.awaitility.Awaitility.await;

/** Test helper: everything logged while it is open, as "LEVEL message exception-text" lines. */
final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String name = "capture-" + System.nanoTime();

    LogCapture() {
        AbstractAppender appender = new AbstractAppender(name, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage()
                        + (event.getThrown() == null ? "" : " " + event.getThrown()));
            }
        };
        appender.start();
        LoggerContext logs = (LoggerContext) LogManager.getContext(false);
        logs.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        logs.updateLoggers();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits for a line holding every fragment and returns it. */
    String awaitLine(String... fragments) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> find(fragments), line -> line != null);
    }

    long count(String... fragments) {
        return lines.stream().filter(line -> Arrays.stream(fragments).allMatch(line::contains)).count();
    }

    private String find(String... fragments) {
        return lines.stream().filter(line -> Arrays.stream(fragments).allMatch(line::contains)).findFirst().orElse(null);
    }

    @Override
    public void close() {
        LoggerContext logs = (LoggerContext) LogManager.getContext(false);
        logs.getConfiguration().getRootLogger().removeAppender(name);
        logs.updateLoggers();
    }
}
