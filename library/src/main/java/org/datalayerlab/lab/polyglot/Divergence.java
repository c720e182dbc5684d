package org.datalayerlab.lab.polyglot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The keys on which a copy (a cache, a read model) disagrees with the system of record: a
 * different value, a key the copy lacks, or a key only the copy has.
 */
public record Divergence(int recordKeys, List<String> keys, Map<String, String> record, Map<String, String> copy) {

    /** Compares every key of both maps. */
    public static Divergence between(Map<String, String> record, Map<String, String> copy) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(copy, "copy");
        TreeSet<String> all = new TreeSet<>(record.keySet());
        all.addAll(copy.keySet());
        List<String> differing = new ArrayList<>();
        for (String key : all) {
            if (!Objects.equals(record.get(key), copy.get(key))) {
                differing.add(key);
            }
        }
        return new Divergence(record.size(), List.copyOf(differing),
                Collections.unmodifiableMap(new HashMap<>(record)), Collections.unmodifiableMap(new HashMap<>(copy)));
    }

    /** How many keys differ. */
    public int count() {
        return keys.size();
    }

    /** Up to {@code n} differing keys as "key: record=..., copy=..." lines. */
    public List<String> examples(int n) {
        return keys.stream().limit(n)
                .map(k -> k + ": record=" + record.get(k) + ", copy=" + copy.get(k))
                .toList();
    }

    @Override
    public String toString() {
        return count() + " of " + recordKeys + " keys differ" + (count() == 0 ? "" : ", e.g. " + examples(3));
    }
}
