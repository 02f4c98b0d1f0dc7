package dev.turnpike.lab.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The lab's scripts and pages, read once from the class path beside the class that serves them. */
public final class Resources {

    private Resources() {
    }

    /** The UTF-8 text of {@code name} next to {@code anchor}; a missing one is a build error, so it throws. */
    public static String text(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
