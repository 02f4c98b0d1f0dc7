package dev.turnpike.server.solver.turnstile;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects the formatted lines one class logs while open (the test config logs this package at DEBUG). */
final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines;

    private LogLines(Logger logger, List<String> lines) {
        this.logger = logger;
        this.lines = lines;
    }

    static LogLines of(Class<?> source, List<String> lines) {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        LogLines appender = new LogLines(logger, lines);
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(event.getFormattedMessage());
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
