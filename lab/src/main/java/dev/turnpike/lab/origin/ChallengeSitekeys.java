package dev.turnpike.lab.origin;

import java.util.Objects;

/**
 * The lab's own Turnstile sitekeys that challenge pages render: one in managed mode for {@code cType: managed},
 * one in interactive mode for {@code cType: interactive}. Both must allow every protected host.
 */
public record ChallengeSitekeys(String managedSitekey, String managedSecret,
                                String interactiveSitekey, String interactiveSecret) {

    public ChallengeSitekeys {
        Objects.requireNonNull(managedSitekey, "managedSitekey");
        Objects.requireNonNull(managedSecret, "managedSecret");
        Objects.requireNonNull(interactiveSitekey, "interactiveSitekey");
        Objects.requireNonNull(interactiveSecret, "interactiveSecret");
    }

    /** Whether {@code sitekey} is one of these (a challenge key, not a site's own). */
    boolean owns(String sitekey) {
        return managedSitekey.equals(sitekey) || interactiveSitekey.equals(sitekey);
    }

    String sitekeyFor(ChallengeType type) {
        return type == ChallengeType.INTERACTIVE ? interactiveSitekey : managedSitekey;
    }

    String secretFor(ChallengeType type) {
        return type == ChallengeType.INTERACTIVE ? interactiveSecret : managedSecret;
    }
}
