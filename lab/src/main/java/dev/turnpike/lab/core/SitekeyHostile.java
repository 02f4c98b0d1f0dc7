package dev.turnpike.lab.core;

import java.util.Locale;

/**
 * Hostile modes of one sitekey (LAB.md L4.1–4, 8, 10, 11). Delays and proof-of-work size are plain sitekey
 * settings ({@link Sitekey#delayMs()}, {@link Sitekey#powBits()}); "slow" is a sitekey with those raised.
 *
 * @param alwaysFail          the widget fails with 600010, never a token
 * @param interactiveOnly     a trusted click is always needed, within {@code chlTimeoutMs}
 * @param chlTimeoutMs        how long an interactive challenge waits for the click (0: 120 s)
 * @param tokenTtlMs          token lifetime when positive (0: 300 s)
 * @param duplicateOnFirstUse siteverify answers timeout-or-duplicate even the first time
 * @param hang                the widget stops answering; the page sees 300030 after {@code hangMs}
 * @param hangMs              how long api.js waits for a hung widget (0: 10 s)
 * @param invalidSitekey      the widget answers invalid_sitekey, 110100
 * @param domainNotAllowed    the widget answers 110200 whatever the page's host
 * @param siteverifyFault     how siteverify misbehaves for this sitekey's secret
 * @param siteverifyDelayMs   the delay of the SLOW fault (0: 5 s)
 * @param shadowMode          {@code closed} (default), {@code open} or {@code none}: the widget's shadow root
 * @param legacyIframePath    the iframe uses the older {@code /h/g/turnstile/if/ov2/...} path
 */
public record SitekeyHostile(boolean alwaysFail, boolean interactiveOnly, long chlTimeoutMs, long tokenTtlMs,
                             boolean duplicateOnFirstUse, boolean hang, long hangMs, boolean invalidSitekey,
                             boolean domainNotAllowed, SiteverifyFault siteverifyFault, long siteverifyDelayMs,
                             String shadowMode, boolean legacyIframePath) {

    public static final SitekeyHostile NONE = new SitekeyHostile(false, false, 0, 0, false, false, 0, false, false,
            SiteverifyFault.NONE, 0, null, false);

    public static final long DEFAULT_CHL_TIMEOUT_MS = 120_000;
    public static final long DEFAULT_HANG_MS = 10_000;
    public static final long DEFAULT_SITEVERIFY_DELAY_MS = 5_000;

    public SitekeyHostile {
        if (chlTimeoutMs < 0 || tokenTtlMs < 0 || hangMs < 0 || siteverifyDelayMs < 0) {
            throw new IllegalArgumentException("times must be >= 0");
        }
        siteverifyFault = siteverifyFault == null ? SiteverifyFault.NONE : siteverifyFault;
        shadowMode = shadowMode == null ? "closed" : shadowMode.toLowerCase(Locale.ROOT);
        if (!shadowMode.equals("closed") && !shadowMode.equals("open") && !shadowMode.equals("none")) {
            throw new IllegalArgumentException("shadowMode must be closed, open or none: " + shadowMode);
        }
    }

    public long effectiveChlTimeoutMs() {
        return chlTimeoutMs > 0 ? chlTimeoutMs : DEFAULT_CHL_TIMEOUT_MS;
    }

    public long effectiveHangMs() {
        return hangMs > 0 ? hangMs : DEFAULT_HANG_MS;
    }

    public long effectiveSiteverifyDelayMs() {
        return siteverifyDelayMs > 0 ? siteverifyDelayMs : DEFAULT_SITEVERIFY_DELAY_MS;
    }

    /** Whether the widget's DOM differs from the default (api.js must be told). */
    public boolean changesDom() {
        return !shadowMode.equals("closed") || legacyIframePath;
    }

    public SitekeyHostile withAlwaysFail(boolean v) {
        return new SitekeyHostile(v, interactiveOnly, chlTimeoutMs, tokenTtlMs, duplicateOnFirstUse, hang, hangMs,
                invalidSitekey, domainNotAllowed, siteverifyFault, siteverifyDelayMs, shadowMode, legacyIframePath);
    }

    public SitekeyHostile withInteractiveOnly(long timeoutMs) {
        return new SitekeyHostile(alwaysFail, true, timeoutMs, tokenTtlMs, duplicateOnFirstUse, hang, hangMs,
                invalidSitekey, domainNotAllowed, siteverifyFault, siteverifyDelayMs, shadowMode, legacyIframePath);
    }

    public SitekeyHostile withTokenTtlMs(long ttl) {
        return new SitekeyHostile(alwaysFail, interactiveOnly, chlTimeoutMs, ttl, duplicateOnFirstUse, hang, hangMs,
                invalidSitekey, domainNotAllowed, siteverifyFault, siteverifyDelayMs, shadowMode, legacyIframePath);
    }

    public SitekeyHostile withDuplicateOnFirstUse(boolean v) {
        return new SitekeyHostile(alwaysFail, interactiveOnly, chlTimeoutMs, tokenTtlMs, v, hang, hangMs,
                invalidSitekey, domainNotAllowed, siteverifyFault, siteverifyDelayMs, shadowMode, legacyIframePath);
    }

    public SitekeyHostile withHang(long afterMs) {
        return new SitekeyHostile(alwaysFail, interactiveOnly, chlTimeoutMs, tokenTtlMs, duplicateOnFirstUse, true,
                afterMs, invalidSitekey, domainNotAllowed, siteverifyFault, siteverifyDelayMs, shadowMode,
                legacyIframePath);
    }

    public SitekeyHostile withInvalidSitekey(boolean v) {
        return new SitekeyHostile(alwaysFail, interactiveOnly, chlTimeoutMs, tokenTtlMs, duplicateOnFirstUse, hang,
                hangMs, v, domainNotAllowed, siteverifyFault, siteverifyDelayMs, shadowMode, legacyIframePath);
    }

    public SitekeyHostile withDomainNotAllowed(boolean v) {
        return new SitekeyHostile(alwaysFail, interactiveOnly, chlTimeoutMs, tokenTtlMs, duplicateOnFirstUse, hang,
                hangMs, invalidSitekey, v, siteverifyFault, siteverifyDelayMs, shadowMode, legacyIframePath);
    }

    public SitekeyHostile withSiteverifyFault(SiteverifyFault fault, long delayMs) {
        return new SitekeyHostile(alwaysFail, interactiveOnly, chlTimeoutMs, tokenTtlMs, duplicateOnFirstUse, hang,
                hangMs, invalidSitekey, domainNotAllowed, fault, delayMs, shadowMode, legacyIframePath);
    }

    public SitekeyHostile withShadowMode(String mode) {
        return new SitekeyHostile(alwaysFail, interactiveOnly, chlTimeoutMs, tokenTtlMs, duplicateOnFirstUse, hang,
                hangMs, invalidSitekey, domainNotAllowed, siteverifyFault, siteverifyDelayMs, mode, legacyIframePath);
    }

    public SitekeyHostile withLegacyIframePath(boolean v) {
        return new SitekeyHostile(alwaysFail, interactiveOnly, chlTimeoutMs, tokenTtlMs, duplicateOnFirstUse, hang,
                hangMs, invalidSitekey, domainNotAllowed, siteverifyFault, siteverifyDelayMs, shadowMode, v);
    }
}
