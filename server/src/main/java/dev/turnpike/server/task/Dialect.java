package dev.turnpike.server.task;

/**
 * The API dialect a task was created in: it decides the form of its callback, and the status page shows it. A task
 * is readable in every dialect whatever it was created in.
 */
public enum Dialect {
    /** The JSON task protocol: {@code createTask} and its kin (PROTOCOL.md §3). */
    CREATE_TASK("createTask"),
    /** 2Captcha's form API: {@code in.php} and {@code res.php} (PROTOCOL.md §9). */
    TWO_CAPTCHA("in.php");

    private final String label;

    Dialect(String label) {
        this.label = label;
    }

    /** How the status page names it: the method the task was created with. */
    public String label() {
        return label;
    }
}
