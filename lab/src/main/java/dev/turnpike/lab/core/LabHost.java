package dev.turnpike.lab.core;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host the lab serves under its real name (LAB.md L0).
 *
 * @param name        lower-case DNS name, e.g. {@code shop.lab.test}
 * @param kind        what it serves
 * @param cType       challenge type of a protected host: {@code managed}, {@code non-interactive} or {@code interactive}
 * @param passageSec  clearance lifetime in seconds (Cloudflare's default 1800)
 * @param hostile     its hostile modes
 */
public record LabHost(String name, HostKind kind, String cType, int passageSec, HostHostile hostile) {

    public static final int DEFAULT_PASSAGE_SEC = 1800;
    private static final Pattern HOST_NAME = Pattern.compile("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}$");

    public LabHost {
        Objects.requireNonNull(name, "name");
        name = name.toLowerCase(Locale.ROOT);
        if (!HOST_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a host name: " + name);
        }
        kind = kind == null ? HostKind.PLAIN : kind;
        cType = cType == null ? "managed" : cType;
        if (!cType.equals("managed") && !cType.equals("non-interactive") && !cType.equals("interactive")) {
            throw new IllegalArgumentException("cType must be managed, non-interactive or interactive: " + cType);
        }
        passageSec = passageSec == 0 ? DEFAULT_PASSAGE_SEC : passageSec;
        if (passageSec < 0) {
            throw new IllegalArgumentException("passageSec must be positive");
        }
        hostile = hostile == null ? HostHostile.NONE : hostile;
    }

    /** A host of the given kind with defaults. */
    public static LabHost of(String name, HostKind kind) {
        return new LabHost(name, kind, null, 0, null);
    }

    public LabHost withHostile(HostHostile newHostile) {
        return new LabHost(name, kind, cType, passageSec, newHostile);
    }
}
