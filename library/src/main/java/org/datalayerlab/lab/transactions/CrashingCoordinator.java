package org.datalayerlab.lab.transactions;

import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.server.Files2;
import org.datalayerlab.lab.server.Reaper;
import org.postgresql.xa.PGXADataSource;

/**
 * A Narayana transaction manager that dies at the worst moment: in its own JVM, it runs one XA
 * transaction over PostgreSQL servers, prepares every branch, writes its commit decision to the
 * transaction log, and halts (like kill -9) as it is about to send the first commit. What it
 * leaves behind is real: prepared branches on the servers and a log entry in the shared log
 * folder, for {@link Xa#recover} in the notebook's JVM to finish.
 *
 * <pre>{@code
 * var work = new LinkedHashMap<Postgres, String>();
 * work.put(bank1, "update accounts set balance = balance - 10 where id = 1");
 * work.put(bank2, "update accounts set balance = balance + 10 where id = 1");
 * CrashingCoordinator.run(work);          // returns once that JVM has died
 * }</pre>
 */
public final class CrashingCoordinator {

    /** The exit status of the coordinator's JVM when it halted where it was meant to. */
    static final int HALTED = 86;

    private CrashingCoordinator() {
    }

    /**
     * Runs the transaction in a new JVM and waits for it to die. Throws (with that JVM's output)
     * if it ended any other way, e.g. because a statement failed.
     */
    public static void run(Map<Postgres, String> work) {
        if (work.isEmpty()) {
            throw new IllegalArgumentException("CrashingCoordinator.run: give each server the statement of its branch");
        }
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classPath(), CrashingCoordinator.class.getName());
        Path output = Reaper.jvmDir().resolve("crashing-coordinator-" + System.nanoTime() + ".out");
        try {
            Process jvm = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            // the work goes in on stdin, so that no password shows in the process list
            try (DataOutputStream in = new DataOutputStream(jvm.getOutputStream())) {
                in.writeUTF(Xa.logFolder().toString());
                in.writeInt(work.size());
                for (Map.Entry<Postgres, String> w : work.entrySet()) {
                    Postgres p = w.getKey();
                    for (String field : List.of(p.jdbcUrl(), p.user(), p.password(), w.getValue())) {
                        in.writeUTF(field);
                    }
                }
            }
            if (!jvm.waitFor(60, TimeUnit.SECONDS)) {
                jvm.destroyForcibly();
                throw new LabException("the crashing coordinator did not finish within 60 s; its output: " + Files2.tail(output, 20));
            }
            if (jvm.exitValue() != HALTED) {
                throw new LabException("the crashing coordinator ended with status " + jvm.exitValue() + " instead of halting after prepare;"
                        + " its output: " + Files2.tail(output, 20));
            }
        } catch (java.io.IOException e) {
            throw new LabException("could not start a JVM for the crashing coordinator: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while the crashing coordinator ran", e);
        }
    }

    /**
     * The class path of this library for a new JVM: the folder of jars a notebook loads
     * (library/target/lib/*), or the test class path when the library runs from its classes.
     */
    static String classPath() {
        try {
            Path here = Path.of(CrashingCoordinator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (here.toString().endsWith(".jar")) {
                return here.getParent().resolve("*").toString();
            }
            return System.getProperty("java.class.path") + File.pathSeparator + here;
        } catch (java.net.URISyntaxException e) {
            throw new LabException("could not locate the lab library's classes: " + e.getMessage(), e);
        }
    }

    /** The coordinator's JVM: reads the log folder, then url, user, password and statement per branch, from stdin. */
    public static void main(String[] args) throws Exception {
        DataInputStream in = new DataInputStream(System.in);
        Xa.configure(Path.of(in.readUTF()));
        TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
        Map<XAConnection, String> branches = new LinkedHashMap<>();
        for (int n = in.readInt(); n > 0; n--) {
            PGXADataSource ds = new PGXADataSource();
            ds.setURL(in.readUTF());
            ds.setUser(in.readUTF());
            ds.setPassword(in.readUTF());
            branches.put(ds.getXAConnection(), in.readUTF());
        }
        tm.begin();
        Transaction tx = tm.getTransaction();
        boolean first = true;
        for (Map.Entry<XAConnection, String> b : branches.entrySet()) {
            XAResource resource = b.getKey().getXAResource();
            tx.enlistResource(first ? new HaltOnCommit(resource) : resource);
            first = false;
            try (Connection c = b.getKey().getConnection(); Statement s = c.createStatement()) {
                s.execute(b.getValue());
            }
        }
        tm.commit();   // prepares every branch, logs the decision, then halts in the first commit
        System.out.println("committed: the coordinator was meant to crash before this");
        System.exit(1);
    }

    /** An XA resource that halts the JVM when asked to commit, after every branch was prepared and the decision logged. */
    private record HaltOnCommit(XAResource resource) implements XAResource {
        @Override
        public void commit(Xid xid, boolean onePhase) {
            Runtime.getRuntime().halt(HALTED);
        }

        @Override
        public void end(Xid xid, int flags) throws XAException {
            resource.end(xid, flags);
        }

        @Override
        public void forget(Xid xid) throws XAException {
            resource.forget(xid);
        }

        @Override
        public int getTransactionTimeout() throws XAException {
            return resource.getTransactionTimeout();
        }

        @Override
        public boolean isSameRM(XAResource other) throws XAException {
            return other == this;   // never merge this branch into another
        }

        @Override
        public int prepare(Xid xid) throws XAException {
            return resource.prepare(xid);
        }

        @Override
        public Xid[] recover(int flag) throws XAException {
            return resource.recover(flag);
        }

        @Override
        public void rollback(Xid xid) throws XAException {
            resource.rollback(xid);
        }

        @Override
        public boolean setTransactionTimeout(int seconds) throws XAException {
            return resource.setTransactionTimeout(seconds);
        }

        @Override
        public void start(Xid xid, int flags) throws XAException {
            resource.start(xid, flags);
        }
    }
}
