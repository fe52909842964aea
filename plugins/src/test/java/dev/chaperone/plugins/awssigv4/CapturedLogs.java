package dev.chaperone.plugins.awssigv4;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * Everything the test JVM logs while it is attached to the root logger, with Chaperone's own loggers at DEBUG,
 * as text to search for secrets. The AWS SDK stays at INFO, as the shipped log configuration keeps it, since its
 * signer logs the canonical request at DEBUG.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final Map<String, Level> LEVELS = Map.of("dev.chaperone", Level.DEBUG,
            "software.amazon.awssdk", Level.INFO);

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Map<String, Level> previousLevels = new HashMap<>();

    private CapturedLogs() {
    }

    /** Sets the levels and starts capturing; {@link #close()} restores them. */
    static CapturedLogs capture() {
        CapturedLogs logs = new CapturedLogs();
        logs.setContext(logs.root.getLoggerContext());
        logs.setName("captured-logs");
        for (Map.Entry<String, Level> level : LEVELS.entrySet()) {
            Logger logger = (Logger) LoggerFactory.getLogger(level.getKey());
            logs.previousLevels.put(level.getKey(), logger.getLevel());
            logger.setLevel(level.getValue());
        }
        logs.start();
        logs.root.addAppender(logs);
        return logs;
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder()
                .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                .append(event.getFormattedMessage());
        if (event.getArgumentArray() != null) {
            // Arguments without a placeholder are not in the formatted message but may reach another appender.
            line.append(" ").append(Arrays.deepToString(event.getArgumentArray()));
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append('\n').append(ThrowableProxyUtil.asString(thrown));
        }
        lines.add(line.toString());
    }

    /** The captured lines so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The captured lines so far, one string. */
    String text() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
        for (Map.Entry<String, Level> level : previousLevels.entrySet()) {
            ((Logger) LoggerFactory.getLogger(level.getKey())).setLevel(level.getValue());
        }
    }
}
