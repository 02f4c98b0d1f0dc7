package dev.turnpike.lab.proxy;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The proxy's accounts by user name; changed through the lab's admin API while the proxy runs. */
public final class ProxyAccounts {

    private final ConcurrentHashMap<String, ProxyAccount> byUser = new ConcurrentHashMap<>();

    public void put(ProxyAccount account) {
        byUser.put(account.user(), account);
    }

    public Optional<ProxyAccount> find(String user) {
        return Optional.ofNullable(byUser.get(user));
    }

    /** The country of the exit address {@code ip}, when an account exits there and has one. */
    public Optional<String> countryOf(String ip) {
        return byUser.values().stream().filter(a -> a.exitIp().equals(ip) && a.country() != null)
                .map(ProxyAccount::country).findFirst();
    }

    public void remove(String user) {
        byUser.remove(user);
    }

    public Collection<ProxyAccount> all() {
        return List.copyOf(byUser.values());
    }

    public void clear() {
        byUser.clear();
    }
}
