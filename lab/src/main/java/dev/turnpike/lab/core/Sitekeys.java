package dev.turnpike.lab.core;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The registered sitekeys, found by sitekey or by secret. */
public final class Sitekeys {

    private final ConcurrentHashMap<String, Sitekey> bySitekey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> sitekeyBySecret = new ConcurrentHashMap<>();

    public synchronized void put(Sitekey key) {
        Sitekey previous = bySitekey.get(key.sitekey());
        if (previous != null) {
            sitekeyBySecret.remove(previous.secret());
        }
        String owner = sitekeyBySecret.get(key.secret());
        if (owner != null && !owner.equals(key.sitekey())) {
            throw new IllegalArgumentException("that secret already belongs to another sitekey");
        }
        bySitekey.put(key.sitekey(), key);
        sitekeyBySecret.put(key.secret(), key.sitekey());
    }

    public Optional<Sitekey> find(String sitekey) {
        return sitekey == null ? Optional.empty() : Optional.ofNullable(bySitekey.get(sitekey));
    }

    public Optional<Sitekey> findBySecret(String secret) {
        if (secret == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(sitekeyBySecret.get(secret)).map(bySitekey::get);
    }

    public Collection<Sitekey> all() {
        return List.copyOf(bySitekey.values());
    }

    public synchronized void clear() {
        bySitekey.clear();
        sitekeyBySecret.clear();
    }
}
