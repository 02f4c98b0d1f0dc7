package dev.turnpike.lab.origin;

/** How a solved challenge sends back a visitor whose original request was not a GET (LAB.md L3). */
public enum PostRedirect {
    /** 303 to a GET of the URL: the body is not replayed, the solver must send it again [lab default]. */
    SEE_OTHER(303),
    /** 307: the browser repeats the method and the body it posted. */
    TEMPORARY(307);

    private final int status;

    PostRedirect(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
