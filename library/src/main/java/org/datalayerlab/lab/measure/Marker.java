package org.datalayerlab.lab.measure;

/** Something that happened during a run ("ALTER TABLE starts"), {@code atSeconds} after it started. */
public record Marker(double atSeconds, String label) {
}
