package org.datalayerlab.lab.server.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.net.NetworkLinks;
import org.datalayerlab.lab.server.Backend;
import org.datalayerlab.lab.server.Files2;
import org.datalayerlab.lab.server.Reaper;

/** Real PostgreSQL 17 processes on this machine (binaries from Maven Central), one directory per lab. */
public final class EmbeddedBackend implements Backend {

    private final Path labDir = Reaper.newLabDir();
    private final List<LocalPostgres> servers = new ArrayList<>();
    private final List<NetworkLink> links = new ArrayList<>();
    private boolean closed;

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public synchronized Postgres postgres(String name, Settings settings) {
        LocalPostgres pg = newServer(name, name, settings);
        pg.start();
        return pg;
    }

    synchronized LocalPostgres newServer(String name, String dirName, Settings settings) {
        checkOpen();
        LocalPostgres pg = LocalPostgres.fromTemplate(name, dirName, labDir, settings);
        servers.add(pg);
        return pg;
    }

    synchronized LocalPostgres newEmptyServer(String name, String dirName) {
        checkOpen();
        LocalPostgres pg = LocalPostgres.empty(name, dirName, labDir);
        servers.add(pg);
        return pg;
    }

    @Override
    public Cluster cluster(String name, ClusterSpec spec) {
        return EmbeddedCluster.create(this, name, spec);
    }

    @Override
    public synchronized NetworkLink link(Postgres target) {
        checkOpen();
        NetworkLink link = NetworkLinks.inJvm(target.host(), target.port());
        links.add(link);
        return link;
    }

    private void checkOpen() {
        if (closed) {
            throw new LabException("this lab is closed: start a new one with Lab.start()");
        }
    }

    /** Stops every server (immediate shutdown: their files are deleted anyway), newest first, and deletes the lab's directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (NetworkLink l : links) {
            try {
                l.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        for (int i = servers.size() - 1; i >= 0; i--) {
            try {
                servers.get(i).destroy(true);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        Files2.deleteTree(Reaper.fastTwin(labDir));
        Files2.deleteTree(labDir);
        if (first != null) {
            throw first;
        }
    }
}
