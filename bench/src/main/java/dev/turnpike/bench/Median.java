package dev.turnpike.bench;

import java.util.List;

/** The median the benchmarks' tables print. */
final class Median {

    private Median() {
    }

    /** The middle value, or the mean of the two middle ones; NaN for none. */
    static double of(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
