package org.datalayerlab.lab.server;

import java.util.ArrayList;
import java.util.List;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.net.NetworkLink;

/**
 * A backend that starts its own servers and links (embedded, containers): it keeps them, refuses
 * new ones once closed, and on close stops the links, then the servers newest first.
 *
 * @param <S> the backend's server type
 */
public abstract class OwningBackend<S extends JdbcServer> implements Backend {

    /** Every server started, oldest first. */
    protected final List<S> servers = new ArrayList<>();
    private final List<NetworkLink> links = new ArrayList<>();
    private boolean closed;

    /** Removes a server and its data for good (the lab is closing). */
    protected abstract void destroy(S server);

    /** What else closes after the servers (a directory, a network); failures go to {@code cleanup}. */
    protected void closeRest(Cleanup cleanup) {
    }

    /** Keeps {@code server} to destroy on close; refused once the lab is closed. */
    protected synchronized S own(S server) {
        checkOpen();
        servers.add(server);
        return server;
    }

    /** Keeps {@code link} to close on close. */
    protected synchronized NetworkLink own(NetworkLink link) {
        links.add(link);
        return link;
    }

    protected synchronized void checkOpen() {
        if (closed) {
            throw new LabException("this lab is closed: start a new one with Lab.start()");
        }
    }

    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Cleanup cleanup = new Cleanup().each(links, NetworkLink::close).newestFirst(servers, this::destroy);
        closeRest(cleanup);
        cleanup.rethrow();
    }
}
