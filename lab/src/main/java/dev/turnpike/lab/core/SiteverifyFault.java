package dev.turnpike.lab.core;

/** How siteverify misbehaves for a sitekey in the {@code siteverifyFaults} hostile mode (LAB.md L4.10). */
public enum SiteverifyFault {
    NONE,
    /** 200 with {@code success:false, error-codes:["internal-error"]}. */
    INTERNAL_ERROR,
    /** HTTP 500 with a JSON body. */
    HTTP_5XX,
    /** Answers correctly after {@code siteverifyDelayMs}. */
    SLOW,
    /** HTTP 502 with an HTML error page instead of JSON. */
    HTML_ERROR
}
