package dev.turnpike.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code log.format} setting: {@code text} (logback.xml's pattern) or {@code json}, one JSON object per line
 * from logback's own {@link JsonEncoder} (no extra dependency). Applied once the settings are read, by swapping
 * the encoder of the console appenders; the task-end line's fields come out as key-value pairs there.
 */
public final class LogFormat {

    public static final String TEXT = "text";
    public static final String JSON = "json";

    private LogFormat() {
    }

    /** Switches the process's console logs to {@code format}; text leaves logback.xml's pattern alone. */
    public static void apply(String format) {
        if (!JSON.equals(format)) {
            return;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return; // another SLF4J backend: its own configuration decides
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                console.stop();
                console.setEncoder(jsonEncoder(context));
                console.start();
            }
        }
    }

    /** The JSON encoder: time, level, thread, logger, the formatted message, key-value pairs, the throwable. */
    public static JsonEncoder jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.setWithKVPList(true);
        encoder.start();
        return encoder;
    }
}
