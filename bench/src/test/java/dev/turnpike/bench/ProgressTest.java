package dev.turnpike.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The progress line of long runs: done/total, rate, elapsed, what is left. */
class ProgressTest {

    @Test
    void aCountedRunShowsDoneOfTotalTheRateAndTheTimeLeft() {
        long[] now = {0};
        Progress progress = new Progress("tasks", 1000, null, () -> now[0], new PrintStream(new ByteArrayOutputStream()));
        progress.add(250);
        now[0] = Duration.ofSeconds(5).toNanos();
        assertThat(progress.line()).isEqualTo("tasks: 250/1000 (25%), 50/s, 5 s elapsed, about 15 s left");
    }

    @Test
    void aTimedRunShowsTheCountAgainstThePlannedTime() {
        long[] now = {0};
        Progress progress = new Progress("createTask", 0, Duration.ofSeconds(10), () -> now[0],
                new PrintStream(new ByteArrayOutputStream()));
        progress.add(12_000);
        now[0] = Duration.ofSeconds(4).toNanos();
        assertThat(progress.line()).isEqualTo("createTask: 12000, 3000/s, 4 s elapsed of 10 s");
    }
}
