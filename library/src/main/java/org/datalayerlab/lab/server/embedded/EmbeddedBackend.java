package org.datalayerlab.lab.server.embedded;

import java.nio.file.Path;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.net.NetworkLinks;
import org.datalayerlab.lab.server.Cleanup;
import org.datalayerlab.lab.server.OwningBackend;
import org.datalayerlab.lab.server.Files2;
import org.datalayerlab.lab.server.Reaper;

/** Real PostgreSQL 17 processes on this machine (binaries from Maven Central), one directory per lab. */
public final class EmbeddedBackend extends OwningBackend<LocalPostgres> {

    private final Path labDir = Reaper.newLabDir();

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
        return own(LocalPostgres.fromTemplate(name, dirName, labDir, settings));
    }

    synchronized LocalPostgres newEmptyServer(String name, String dirName) {
        checkOpen();
        return own(LocalPostgres.empty(name, dirName, labDir));
    }

    @Override
    public Cluster cluster(String name, ClusterSpec spec) {
        return new EmbeddedCluster(this, name, spec).startUp();
    }

    @Override
    public synchronized NetworkLink link(Postgres target) {
        checkOpen();
        return own(NetworkLinks.inJvm(target.host(), target.port()));
    }

    /** Immediate shutdown: the files are deleted anyway. */
    @Override
    protected void destroy(LocalPostgres server) {
        server.destroy(true);
    }

    /** Deletes the lab's directory (data on tmpfs, WAL and logs on disk). */
    @Override
    protected void closeRest(Cleanup cleanup) {
        cleanup.run(() -> Files2.deleteTree(Reaper.fastTwin(labDir))).run(() -> Files2.deleteTree(labDir));
    }
}
