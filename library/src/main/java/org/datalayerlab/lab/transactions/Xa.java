package org.datalayerlab.lab.transactions;

import com.arjuna.ats.arjuna.common.CoordinatorEnvironmentBean;
import com.arjuna.ats.arjuna.common.CoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.RecoveryEnvironmentBean;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.common.JTAEnvironmentBean;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import jakarta.transaction.TransactionManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.server.Files2;
import org.datalayerlab.lab.server.Reaper;
import org.postgresql.xa.PGXADataSource;

/**
 * XA under a real transaction manager, Narayana (the one in WildFly and Quarkus), set up once per
 * JVM for a notebook: its transaction log (the "object store") in a temporary folder that goes
 * with the JVM's run folder, its logging sent to the silent SLF4J binding (nothing on stderr),
 * no network listeners.
 *
 * <pre>{@code
 * TransactionManager tm = Xa.transactionManager();
 * XAConnection a = Xa.connect(Xa.dataSource(bank1)), b = Xa.connect(Xa.h2("ledger"));
 * tm.begin();
 * tm.getTransaction().enlistResource(a.getXAResource());
 * tm.getTransaction().enlistResource(b.getXAResource());
 * ... statements on a.getConnection() and b.getConnection() ...
 * tm.commit();                       // prepare on both, log the decision, commit on both
 * }</pre>
 */
public final class Xa {

    /** The node name every branch id carries: recovery in another JVM claims only branches of this node. */
    public static final String NODE = "datalayerlab";

    private static Path logFolder;
    private static RecoveryManager recoveryManager;

    private Xa() {
    }

    /** Narayana's transaction manager, configured on first use. */
    public static TransactionManager transactionManager() {
        configure();
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    /** The folder of Narayana's transaction log in this JVM (under the lab's run folder, deleted at exit). */
    public static synchronized Path logFolder() {
        configure();
        return logFolder;
    }

    /** Configures Narayana for this JVM, once: before any of its classes reads its settings. */
    static synchronized void configure() {
        if (logFolder == null) {
            configure(Files2.mkdirs(Reaper.jvmDir().resolve("narayana")));
        }
    }

    /** Settings shared by this JVM and the crashing coordinator of {@link #crashAfterPrepare}. */
    static synchronized void configure(Path folder) {
        // jboss-logging (Narayana's logging API) to SLF4J, whose binding in the lab is silent
        System.setProperty("org.jboss.logging.provider", "slf4j");
        try {
            BeanPopulator.getDefaultInstance(CoreEnvironmentBean.class).setNodeIdentifier(NODE);
        } catch (CoreEnvironmentBeanException e) {
            throw new LabException("Narayana refused the node identifier " + NODE + ": " + e.getMessage(), e);
        }
        // the transaction log proper (the default instance) and the two other stores Narayana keeps
        BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(folder.toString());
        for (String store : List.of("stateStore", "communicationStore")) {
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, store).setObjectStoreDir(folder.toString());
        }
        // no sockets: the status manager and the recovery listener would listen on the network
        BeanPopulator.getDefaultInstance(CoordinatorEnvironmentBean.class).setTransactionStatusManagerEnable(false);
        RecoveryEnvironmentBean recovery = BeanPopulator.getDefaultInstance(RecoveryEnvironmentBean.class);
        recovery.setRecoveryListener(false);
        recovery.setRecoveryBackoffPeriod(1);     // seconds between a scan's two passes (default 10)
        recovery.setPeriodicRecoveryPeriod(3600); // scans run when a lesson asks, not in the background
        recovery.setRecoveryModuleClassNames(List.of(
                "com.arjuna.ats.internal.arjuna.recovery.AtomicActionRecoveryModule",
                "com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule"));
        recovery.setExpiryScannerClassNames(List.of());
        BeanPopulator.getDefaultInstance(JTAEnvironmentBean.class).setXaRecoveryNodes(List.of(NODE));
        logFolder = folder;
    }

    /** An XA data source for {@code server} (pgjdbc's), logging in as the server's user. */
    public static XADataSource dataSource(Postgres server) {
        return server.unpooled(new PGXADataSource());
    }

    /** An XA data source for an in-memory H2 database called {@code name}, kept while the JVM runs. */
    public static XADataSource h2(String name) {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("H2 database name '" + name + "': use letters, digits and _, e.g. \"ledger\"");
        }
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    /** Opens an XA connection (close it, or hand it to {@code lab.closeLater} as an AutoCloseable wrapper). */
    public static XAConnection connect(XADataSource source) {
        try {
            return source.getXAConnection();
        } catch (SQLException e) {
            throw new LabException("could not open an XA connection: " + e.getMessage(), e);
        }
    }

    /** A branch id for driving XA by hand ({@code xaResource.start(Xa.xid("t1", 1), ...)}). */
    public static Xid xid(String globalId, int branch) {
        return new SimpleXid(globalId.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) branch});
    }

    private record SimpleXid(byte[] globalTransactionId, byte[] branchQualifier) implements Xid {
        @Override
        public int getFormatId() {
            return 0x1ab;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return globalTransactionId.clone();
        }

        @Override
        public byte[] getBranchQualifier() {
            return branchQualifier.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Xid x && x.getFormatId() == getFormatId()
                    && Arrays.equals(x.getGlobalTransactionId(), globalTransactionId)
                    && Arrays.equals(x.getBranchQualifier(), branchQualifier);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(globalTransactionId) * 31 + Arrays.hashCode(branchQualifier);
        }
    }

    /**
     * Branches a resource manager reports as prepared and waiting for a decision
     * ({@code XAResource.recover}): what a transaction manager asks every resource after a crash.
     */
    public static int preparedBranches(XADataSource source) {
        XAConnection c = connect(source);
        try {
            return c.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length;
        } catch (javax.transaction.xa.XAException | SQLException e) {
            throw new LabException("XA recover failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(c);
        }
    }

    /**
     * Narayana's crash recovery, as a restarted transaction manager runs it: reads the transaction
     * log, asks each of {@code sources} for its prepared branches and commits (or rolls back) them
     * as the log says. Runs one full scan (two passes, about a second apart) and returns when done.
     */
    public static synchronized void recover(XADataSource... sources) {
        configure();
        if (recoveryManager == null) {
            recoveryManager = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
        }
        List<XAConnection> open = new ArrayList<>();
        com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper helper = new com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper() {
            @Override
            public boolean initialise(String p) {
                return true;
            }

            @Override
            public XAResource[] getXAResources() {
                List<XAResource> resources = new ArrayList<>();
                for (XADataSource s : sources) {
                    XAConnection c = connect(s);
                    open.add(c);
                    try {
                        resources.add(c.getXAResource());
                    } catch (SQLException e) {
                        throw new LabException("XA recovery could not reach a resource: " + e.getMessage(), e);
                    }
                }
                return resources.toArray(new XAResource[0]);
            }
        };
        XARecoveryModule module = XARecoveryModule.getRegisteredXARecoveryModule();
        module.addXAResourceRecoveryHelper(helper);
        try {
            recoveryManager.scan();
        } finally {
            module.removeXAResourceRecoveryHelper(helper);
            open.forEach(Xa::closeQuietly);
        }
    }

    static void closeQuietly(XAConnection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // the connection is gone either way
        }
    }
}
