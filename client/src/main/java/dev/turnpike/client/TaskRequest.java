package dev.turnpike.client;

/**
 * A task to create: the {@code task} object of {@code /createTask}. Sealed so the client knows how to write every
 * kind; {@link #type()} is the protocol's type name and may be any alias the target service accepts.
 */
public sealed interface TaskRequest permits TurnstileTask, ChallengeTask {

    /**
     * The protocol's {@code type}.
     *
     * @return the type name, e.g. {@code TurnstileTaskProxyless}
     */
    String type();
}
