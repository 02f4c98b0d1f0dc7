package dev.turnpike.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** log.format=json switches the console lines of the running process to JSON objects. */
class LogFormatTest {

    @Test
    void jsonTurnsTheConsoleLinesIntoJsonObjects() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        List<ConsoleAppender<ILoggingEvent>> consoles = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                consoles.add(console);
            }
        }
        assertThat(consoles).as("logback.xml's console appender").isNotEmpty();
        List<Encoder<ILoggingEvent>> before = consoles.stream().map(ConsoleAppender::getEncoder).toList();
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            // The console appender may write to either stream (stderr in logback.xml, stdout in a test config).
            PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
            System.setErr(capture);
            System.setOut(capture);
            LogFormat.apply(LogFormat.JSON);
            LoggerFactory.getLogger(LogFormatTest.class).atInfo().addKeyValue("answer", 42).log("hello {}", "json");
        } finally {
            System.setErr(err);
            System.setOut(out);
            for (int i = 0; i < consoles.size(); i++) {
                consoles.get(i).stop();
                consoles.get(i).setEncoder(before.get(i));
                consoles.get(i).start();
            }
        }
        String line = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("hello json")).findFirst().orElseThrow();
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("formattedMessage").asText()).isEqualTo("hello json");
        assertThat(json.path("kvpList").toString()).contains("\"answer\"");
    }

    @Test
    void textLeavesThePatternAlone() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Appender<ILoggingEvent> first = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next();
        Encoder<ILoggingEvent> before = ((ConsoleAppender<ILoggingEvent>) first).getEncoder();
        LogFormat.apply(LogFormat.TEXT);
        assertThat(((ConsoleAppender<ILoggingEvent>) first).getEncoder()).isSameAs(before);
    }
}
