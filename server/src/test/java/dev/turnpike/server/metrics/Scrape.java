package dev.turnpike.server.metrics;

import java.util.ArrayList;
import java.util.List;

/** Reads samples out of a Prometheus text scrape. */
public final class Scrape {

    private final String text;

    public Scrape(String text) {
        this.text = text;
    }

    /**
     * The value of the one sample named {@code name} whose labels include every {@code key=value} given.
     *
     * @throws AssertionError when none or several match
     */
    public double value(String name, String... labels) {
        List<String> matches = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String sampleName = line.contains("{") ? line.substring(0, line.indexOf('{')) : line.substring(0, line.indexOf(' '));
            if (!sampleName.equals(name)) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                int eq = label.indexOf('=');
                String pair = label.substring(0, eq) + "=\"" + label.substring(eq + 1) + "\"";
                all &= line.contains("{" + pair + ",") || line.contains("," + pair + ",") || line.contains("," + pair + "}")
                        || line.contains("{" + pair + "}");
            }
            if (all) {
                matches.add(line);
            }
        }
        if (matches.size() != 1) {
            throw new AssertionError("expected one sample " + name + " " + List.of(labels) + ", found " + matches);
        }
        String line = matches.getFirst();
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    public boolean has(String name) {
        return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }

    @Override
    public String toString() {
        return text;
    }
}
