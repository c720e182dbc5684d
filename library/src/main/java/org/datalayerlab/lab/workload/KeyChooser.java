package org.datalayerlab.lab.workload;

/**
 * Picks the next key (a number from 0) from a {@link Keys} distribution. Seeded and not
 * thread-safe: give each thread its own (drivers do).
 */
@FunctionalInterface
public interface KeyChooser {

    /** The next key. */
    long next();
}
