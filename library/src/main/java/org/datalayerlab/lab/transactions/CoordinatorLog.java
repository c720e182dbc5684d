package org.datalayerlab.lab.transactions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.server.Reaper;

/**
 * A two-phase commit coordinator's durable memory: one file with a line per commit decision,
 * forced to disk before phase 2 starts. Writing that line is the commit point of a distributed
 * transaction; after a crash, {@link #recover} reads it back and resolves every transaction this
 * coordinator left prepared: COMMIT PREPARED if the decision is there, ROLLBACK PREPARED if not
 * ("presumed abort": a coordinator that never wrote commit cannot have told anyone it committed).
 *
 * <pre>{@code
 * CoordinatorLog log = CoordinatorLog.temporary("transfers");
 * TwoPhaseCommit tx = log.begin(bank1, bank2);
 * ...
 * log.recover(bank1, bank2);      // after the coordinator crashed
 * }</pre>
 */
public final class CoordinatorLog {

    private static final AtomicInteger LOGS = new AtomicInteger();

    private final String name;
    private final Path file;
    private final AtomicInteger transactions = new AtomicInteger();

    private CoordinatorLog(String name, Path file) {
        this.name = name;
        this.file = file;
    }

    /**
     * A log in this JVM's run folder (deleted when the JVM exits). Its name starts every global
     * transaction id it hands out, so its recovery touches only its own prepared transactions.
     */
    public static CoordinatorLog temporary(String name) {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("coordinator name '" + name + "': use lower-case letters, digits and _, e.g. \"transfers\"");
        }
        String unique = name + "_" + LOGS.incrementAndGet();
        Path file = Reaper.jvmDir().resolve("coordinator-" + unique + ".log");
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new LabException("could not create the coordinator log " + file + ": " + e.getMessage(), e);
        }
        return new CoordinatorLog(unique, file);
    }

    /** The prefix of this coordinator's global transaction ids. */
    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    /** Starts a global transaction on each participant (BEGIN on a connection of its own). */
    public TwoPhaseCommit begin(Postgres... participants) {
        return new TwoPhaseCommit(this, name + "-" + transactions.incrementAndGet(), List.of(participants));
    }

    /** The commit point: appends "commit GID" and forces it to disk before returning. */
    void decideCommit(String gid) {
        byte[] line = ("commit " + gid + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(line));
            out.force(true);
        } catch (IOException e) {
            throw new LabException("could not write the decision for " + gid + " to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the log holds a commit decision for {@code gid}. */
    public boolean committed(String gid) {
        try {
            return Files.readAllLines(file).contains("commit " + gid);
        } catch (IOException e) {
            throw new LabException("could not read the coordinator log " + file + ": " + e.getMessage(), e);
        }
    }

    /** The global transaction ids this log has decided to commit, in order. */
    public List<String> decisions() {
        try {
            List<String> gids = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                gids.add(line.substring("commit ".length()));
            }
            return gids;
        } catch (IOException e) {
            throw new LabException("could not read the coordinator log " + file + ": " + e.getMessage(), e);
        }
    }

    /** What {@link #recover} did. */
    public record Recovery(int committed, int rolledBack) {
        public int resolved() {
            return committed + rolledBack;
        }
    }

    /**
     * The restarted coordinator's recovery: every transaction of this log still prepared on one of
     * {@code participants} is committed if the log holds its decision, rolled back if not.
     */
    public Recovery recover(Postgres... participants) {
        int committed = 0;
        int rolledBack = 0;
        for (Postgres server : participants) {
            for (String gid : server.queryStrings("select gid from pg_prepared_xacts where gid like '" + name + "-%' order by prepared")) {
                if (committed(gid)) {
                    server.execute("COMMIT PREPARED '" + gid + "'");
                    committed++;
                } else {
                    server.execute("ROLLBACK PREPARED '" + gid + "'");
                    rolledBack++;
                }
            }
        }
        return new Recovery(committed, rolledBack);
    }

    @Override
    public String toString() {
        return "CoordinatorLog[" + name + ", " + file + "]";
    }
}
