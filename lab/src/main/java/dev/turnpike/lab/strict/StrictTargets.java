package dev.turnpike.lab.strict;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which sitekeys and hosts are judged strictly (off for all by default), set through the admin API. Kept apart
 * from the sitekey and host records so that turning strict mode on changes nothing else about them.
 */
public final class StrictTargets {

    private final Set<String> sitekeys = ConcurrentHashMap.newKeySet();
    private final Set<String> hosts = ConcurrentHashMap.newKeySet();

    public void setSitekey(String sitekey, boolean strict) {
        if (strict) {
            sitekeys.add(sitekey);
        } else {
            sitekeys.remove(sitekey);
        }
    }

    public void setHost(String host, boolean strict) {
        String name = host.toLowerCase(Locale.ROOT);
        if (strict) {
            hosts.add(name);
        } else {
            hosts.remove(name);
        }
    }

    public boolean sitekey(String sitekey) {
        return sitekey != null && sitekeys.contains(sitekey);
    }

    public boolean host(String host) {
        return host != null && hosts.contains(host.toLowerCase(Locale.ROOT));
    }

    /** A widget is judged when its sitekey is strict or it sits on a strict host (a challenge page's widget). */
    public boolean widget(String sitekey, String topHost) {
        return sitekey(sitekey) || host(topHost);
    }

    public void clear() {
        sitekeys.clear();
        hosts.clear();
    }
}
