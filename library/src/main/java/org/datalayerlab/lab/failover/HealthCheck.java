package org.datalayerlab.lab.failover;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * The controller's view of the primary: one session (kept open between checks, so the primary can
 * see when it was last checked) that runs {@code select 1}. A check that gets no answer within its
 * deadline counts as missed, but the probe it started goes on (a connection being opened on a busy
 * machine, an answer that is late): the next check waits for that probe instead of starting
 * another. A probe that fails drops the session; pgjdbc's timeouts end a probe that hangs.
 */
final class HealthCheck implements AutoCloseable {

    /** The application_name of the controller's session, which {@link LeaseAgent} looks for on the primary. */
    static final String APPLICATION_NAME = "lab-failover-controller";

    private final String url;
    private final Properties properties = new Properties();
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lab-failover-check");
        t.setDaemon(true);
        return t;
    });
    private Connection session;   // guarded by this
    private Future<Boolean> pending; // the probe under way, if one is

    HealthCheck(String host, int port, String user, String password) {
        this.url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        // seconds, pgjdbc's smallest unit: a hung probe ends on its own; the deadline of ok() does not wait for it
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "2");
    }

    /** true if the server answered {@code select 1} within {@code timeout} (called by one thread, the controller's). */
    boolean ok(Duration timeout) {
        if (pending == null || pending.isDone()) {
            pending = probes.submit(this::probe);
        }
        try {
            boolean answered = pending.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            pending = null;
            return answered;
        } catch (TimeoutException e) {
            return false; // missed; the probe goes on and the next check waits for it
        } catch (ExecutionException e) {
            pending = null;
            dropSession();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean probe() throws SQLException {
        Connection c;
        synchronized (this) {
            c = session;
        }
        if (c == null) {
            c = DriverManager.getConnection(url, properties);
            synchronized (this) {
                if (probes.isShutdown()) {
                    c.close();
                    return false;
                }
                session = c;
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("select 1");
            return true;
        }
    }

    private void dropSession() {
        Connection c;
        synchronized (this) {
            c = session;
            session = null;
        }
        if (c != null) {
            try {
                c.abort(Runnable::run); // closes the socket without waiting for the server
            } catch (SQLException ignored) {
                // dropped anyway
            }
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
        dropSession();
    }
}
