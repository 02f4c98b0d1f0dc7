package dev.turnpike.lab.core;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The registered lab hosts by name; listeners hear of each new one (the certificate re-issues itself). */
public final class Hosts {

    private final ConcurrentHashMap<String, LabHost> byName = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<LabHost>> listeners = new CopyOnWriteArrayList<>();

    public void put(LabHost host) {
        LabHost previous = byName.put(host.name(), host);
        if (previous == null) {
            listeners.forEach(l -> l.accept(host));
        }
    }

    public Optional<LabHost> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    public Collection<LabHost> all() {
        return List.copyOf(byName.values());
    }

    public void clear() {
        byName.clear();
    }

    public void onAdded(Consumer<LabHost> listener) {
        listeners.add(listener);
    }
}
