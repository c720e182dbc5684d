package org.datalayerlab.lab;

import org.datalayerlab.lab.server.BackendChoice;
import org.datalayerlab.lab.server.DockerProbe;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** What this machine offers the course: the index notebook shows it. Starts nothing. */
public final class Environment {

    private Environment() {
    }

    /** A two-column table (item, value): JDK, OS, cores, Docker, the backend LAB_BACKEND would choose and why, LAB_SCALE. */
    public static Table report() {
        StringColumn item = StringColumn.create("item");
        StringColumn value = StringColumn.create("value");
        add(item, value, "JDK", System.getProperty("java.vendor") + " " + Runtime.version());
        add(item, value, "OS", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " (" + System.getProperty("os.arch") + ")");
        add(item, value, "cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        DockerProbe.Result docker = DockerProbe.probe(System.getenv());
        add(item, value, "Docker reachable", docker.reachable()
                ? "yes: " + docker.where() + (docker.problem() == null ? ", has " + docker.image() : "; " + docker.problem())
                : "no: " + docker.where());
        try {
            BackendChoice choice = BackendChoice.decide(LabConfig.current(), () -> docker);
            add(item, value, "backend", choice.backend());
            add(item, value, "why", choice.reason());
        } catch (LabException e) {
            add(item, value, "backend", "none: " + e.getMessage());
        }
        String scale;
        try {
            scale = Scale.current();
        } catch (LabException e) {
            scale = e.getMessage();
        }
        add(item, value, "LAB_SCALE", scale);
        return Table.create("environment", item, value);
    }

    private static void add(StringColumn item, StringColumn value, String k, String v) {
        item.append(k);
        value.append(v);
    }
}
