package dev.turnpike.client.example;

import dev.turnpike.client.TurnpikeClient;
import dev.turnpike.client.TurnpikeException;
import dev.turnpike.client.TurnstileOptions;
import dev.turnpike.client.TurnstileSolution;
import java.io.PrintStream;
import java.net.URI;

/**
 * Solves one Turnstile widget through Turnpike (or any service of the same protocol) and prints the token.
 * Kept with the tests, not in the library's jar; {@code SolveTurnstileExampleTest} runs it, so it stays runnable.
 *
 * <pre>
 * SolveTurnstileExample &lt;baseUrl&gt; &lt;clientKey&gt; &lt;websiteURL&gt; &lt;websiteKey&gt;
 * </pre>
 */
public final class SolveTurnstileExample {

    private SolveTurnstileExample() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The example itself; returns the process exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 4) {
            err.println("usage: SolveTurnstileExample <baseUrl> <clientKey> <websiteURL> <websiteKey>");
            return 2;
        }
        try (TurnpikeClient client = TurnpikeClient.builder()
                .baseUrl(URI.create(args[0]))
                .clientKey(args[1])
                .build()) {
            out.println("balance: " + client.getBalance());
            TurnstileSolution solution = client.solveTurnstile(args[2], args[3], TurnstileOptions.none());
            out.println("task:    " + solution.taskId());
            out.println("token:   " + solution.token());
            solution.userAgent().ifPresent(userAgent -> out.println("agent:   " + userAgent));
            return 0;
        } catch (TurnpikeException e) {
            // errorCode() is what the service said (ERROR_ZERO_BALANCE, ERROR_CAPTCHA_UNSOLVABLE, …)
            err.println("failed: " + e.errorCode() + " " + e.errorDescription());
            e.taskId().ifPresent(id -> err.println("task:   " + id));
            return 1;
        }
    }
}
