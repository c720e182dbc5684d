package org.datalayerlab.lab.cdc;

import io.debezium.embedded.Connect;
import io.debezium.embedded.async.ConvertingAsyncEngineBuilderFactory;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.connect.source.SourceRecord;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Lsn;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Replication;
import org.datalayerlab.lab.Wait;
import org.datalayerlab.lab.server.Files2;
import org.datalayerlab.lab.server.Reaper;

/**
 * Change data capture from one PostgreSQL server: Debezium's embedded engine (PostgreSQL
 * connector, plugin pgoutput) reads the committed changes of some tables from the write-ahead
 * log through a logical replication slot, and hands each one to a Java consumer, the sink.
 *
 * <pre>{@code
 * Postgres pg = lab.postgres(Settings.of("wal_level", "logical"));
 * pg.execute("create table orders (id int primary key, status text)");
 * ChangeCapture cdc = ChangeCapture.of(lab, pg, "public.orders");    // slot + publication now
 * Queue<Change> seen = new ConcurrentLinkedQueue<>();
 * cdc.start(seen::add);                            // the sink runs on the engine's thread
 * pg.execute("insert into orders values (1, 'placed')");
 * cdc.awaitDelivered(1, Duration.ofSeconds(10));
 * cdc.stop();                                     // stores its position; start(...) resumes there
 * long kept = cdc.retainedWalBytes();             // WAL the server keeps for the stopped consumer
 * cdc.close();                                    // (or when the lab closes) drops slot and publication
 * }</pre>
 *
 * The slot exists from {@link #of} on, so every change committed after it is kept for the
 * consumer, whether it runs yet or not. Debezium's offsets (where the consumer got to) go to a
 * file in a folder of the lab's run directory, deleted on close; the engine confirms a position
 * to the server (and the slot lets go of older WAL) after storing it, every
 * {@link #commitEvery commitEvery} (1 s unless changed). Delivery is at least once: after a
 * {@link #crash()} the changes since the last stored position come again, so a sink should be
 * idempotent. The outbox pattern: {@link #startOutbox} with {@link Outbox}.
 */
public final class ChangeCapture implements AutoCloseable {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Postgres server;
    private final List<String> tables;
    private final String slot;
    private final String publication;
    private final Path folder;
    private final Path offsetsFile;
    private final AtomicLong delivered = new AtomicLong();
    private Duration commitEvery = Duration.ofSeconds(1);
    private Duration pollEvery = Duration.ofMillis(20);

    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private Thread engineThread;
    private CountDownLatch ended;
    private volatile boolean crashed;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private volatile boolean polling;
    private boolean closed;

    private ChangeCapture(Postgres server, List<String> tables, String slot) {
        this.server = server;
        this.tables = tables;
        this.slot = slot;
        this.publication = slot + "_pub";
        this.folder = Reaper.newLabDir();
        this.offsetsFile = folder.resolve("offsets.dat");
    }

    /**
     * Captures the changes of {@code tables} (schema-qualified, e.g. "public.orders") on
     * {@code server}, which needs wal_level=logical. Creates the publication and the slot now, and
     * registers the capture to close with {@code lab}.
     */
    public static ChangeCapture of(Lab lab, Postgres server, String... tables) {
        if (tables.length == 0) {
            throw new IllegalArgumentException("ChangeCapture.of needs at least one table, e.g. \"public.orders\"");
        }
        for (String t : tables) {
            if (!t.matches("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a schema-qualified table name: '" + t + "' (write e.g. \"public.orders\")");
            }
        }
        String walLevel = server.show("wal_level");
        if (!"logical".equals(walLevel)) {
            throw new LabException(server.name() + " has wal_level=" + walLevel + "; change data capture reads the WAL"
                    + " through a logical slot, which needs wal_level=logical: create the server with"
                    + " lab.postgres(Settings.of(\"wal_level\", \"logical\"))");
        }
        ChangeCapture capture = new ChangeCapture(server, List.of(tables), "lab_cdc_" + SEQUENCE.incrementAndGet());
        try {
            Replication.createPublication(server, capture.publication, tables);
            Replication.createLogicalSlot(server, capture.slot, "pgoutput");
        } catch (RuntimeException e) {
            capture.close();
            throw e;
        }
        return lab.closeLater(capture);
    }

    /** How often the engine stores its position and confirms it to the server (before {@link #start}); 1 s unless changed. */
    public ChangeCapture commitEvery(Duration interval) {
        checkPositive(interval, "commitEvery");
        this.commitEvery = interval;
        return this;
    }

    /** How long the engine waits for more changes before it hands a batch over (before {@link #start}); 20 ms unless changed. */
    public ChangeCapture pollEvery(Duration interval) {
        checkPositive(interval, "pollEvery");
        this.pollEvery = interval;
        return this;
    }

    /** Starts the engine: every change from the stored position on goes to {@code sink}, on the engine's thread. */
    public synchronized ChangeCapture start(Consumer<Change> sink) {
        return startEngine(new Properties(), record -> Change.of(record, Instant.now()), batch -> batch.forEach(sink));
    }

    /**
     * Starts the engine handing over changes a batch at a time (as Debezium reads them: one or
     * many, up to its max.batch.size), for a sink that writes more cheaply in bulk, e.g. one
     * statement or transaction per batch. A slow sink gets bigger batches, so it can keep up.
     */
    public synchronized ChangeCapture startBatches(Consumer<List<Change>> sink) {
        return startEngine(new Properties(), record -> Change.of(record, Instant.now()), sink);
    }

    /**
     * Starts the engine with Debezium's outbox event router: each row inserted into the outbox
     * table (see {@link Outbox}) becomes an {@link OutboxEvent} for {@code sink}; deletes are ignored,
     * so the application may delete outbox rows right after inserting them.
     */
    public synchronized ChangeCapture startOutbox(Consumer<OutboxEvent> sink) {
        Properties router = new Properties();
        router.setProperty("transforms", "outbox");
        router.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        router.setProperty("transforms.outbox.route.topic.replacement", "${routedByValue}");
        router.setProperty("transforms.outbox.table.fields.additional.placement", "type:header:eventType");
        return startEngine(router, record -> OutboxEvent.of(record, Instant.now()), batch -> batch.forEach(sink));
    }

    private <T> ChangeCapture startEngine(Properties extra, Function<SourceRecord, T> convert, Consumer<List<T>> sink) {
        checkOpen();
        if (isRunning()) {
            throw new IllegalStateException("capture " + slot + " is already running: stop() it first");
        }
        if ("lost".equals(walStatus())) {
            throw new LabException("slot " + slot + " on " + server.name() + " was invalidated (wal_status = lost, reason: "
                    + server.queryString("select invalidation_reason from pg_replication_slots where slot_name = '" + slot + "'")
                    + "): the server removed WAL the consumer had not read, so those changes are gone for it."
                    + " Start over with a new ChangeCapture (a new slot) and copy the tables afresh");
        }
        LabOffsetStore.forget(offsetsFile.toString());
        crashed = false;
        stopping = false;
        failure = null;
        polling = false;
        Properties props = properties();
        props.putAll(extra);
        CountDownLatch done = new CountDownLatch(1);
        engine = new ConvertingAsyncEngineBuilderFactory()
                .builder(ChangeEventFormat.of(Connect.class))
                .using(props)
                .using(ChangeCapture.class.getClassLoader())
                .using((success, message, error) -> {
                    if (!success && !crashed && !stopping) { // an error while it shuts down when told to is not a failure
                        failure = error != null ? error : new LabException(message);
                    }
                })
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void pollingStarted() {
                        polling = true;
                    }
                })
                .notifying((records, committer) -> {
                    if (crashed) {
                        return; // a dead process delivers and marks nothing more
                    }
                    List<T> batch = new ArrayList<>(records.size());
                    for (RecordChangeEvent<SourceRecord> r : records) {
                        if (r.record().value() != null) {
                            batch.add(convert.apply(r.record()));
                        }
                    }
                    if (!batch.isEmpty()) {
                        sink.accept(Collections.unmodifiableList(batch));
                        delivered.addAndGet(batch.size());
                    }
                    for (RecordChangeEvent<SourceRecord> r : records) {
                        if (crashed) {
                            return;
                        }
                        committer.markProcessed(r);
                    }
                    committer.markBatchFinished();
                })
                .build();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine;
        engineThread = new Thread(() -> {
            try {
                running.run();
            } finally {
                done.countDown();
            }
        }, "cdc-" + slot);
        engineThread.setDaemon(true);
        ended = done;
        engineThread.start();
        try {
            Wait.upTo(Duration.ofSeconds(60)).until(() -> failure != null || done.getCount() == 0
                            || (polling && slotActive()),
                    () -> "Debezium did not start streaming from slot " + slot + " on " + server.name());
        } catch (RuntimeException e) {
            halt();
            throw e;
        }
        if (failure != null || done.getCount() == 0) {
            Throwable why = failure;
            halt();
            throw new LabException("Debezium stopped while starting on " + server.name() + ": "
                    + (why == null ? "no reason given" : why.getMessage()), why);
        }
        return this;
    }

    /** A clean stop: the engine hands over what it has read, stores its position, confirms it to the server. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        halt();
        if (failure != null) {
            throw new LabException("the capture on " + server.name() + " failed: " + failure.getMessage(), failure);
        }
    }

    /**
     * A model of the consumer's process being killed: from this instant the sink gets nothing more
     * and no position is stored or confirmed (Debezium's offsets stay where the last
     * {@link #commitEvery commit} left them); then the engine's threads are stopped. A later
     * {@link #start} resumes from that position, so what was delivered since comes again.
     */
    public synchronized void crash() {
        if (!isRunning()) {
            throw new IllegalStateException("capture " + slot + " is not running: nothing to crash");
        }
        LabOffsetStore.crash(offsetsFile.toString());
        crashed = true;
        halt();
    }

    /** Closes the engine and waits until it has let go of the slot. */
    private void halt() {
        stopping = true;
        if (ended.getCount() > 0) {
            try {
                engine.close();
            } catch (IOException e) {
                failure = e;
            } catch (IllegalStateException alreadyStopping) {
                // the engine is shutting down on its own (it failed): wait for it below
            }
        }
        try {
            if (!ended.await(60, TimeUnit.SECONDS)) {
                throw new LabException("Debezium's engine did not stop within 60 s (slot " + slot + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while stopping the capture on slot " + slot, e);
        }
        engine = null;
        engineThread = null;
        if (server.isRunning()) {
            Wait.upTo(Duration.ofSeconds(30)).until(() -> !slotActive(),
                    () -> "slot " + slot + " is still in use after the engine stopped");
        }
    }

    /**
     * Why the engine stopped on its own, or null while it runs (or stopped when told to): a sink
     * that threw, a connection that broke for good. A wait of your own should look at it.
     */
    public Throwable failure() {
        return failure;
    }

    public synchronized boolean isRunning() {
        return engine != null;
    }

    /** Changes handed to sinks since this capture was made (redeliveries included). */
    public long delivered() {
        return delivered.get();
    }

    /** Waits until {@link #delivered()} reaches {@code count}; fails with the engine's error if it stopped. */
    public void awaitDelivered(long count, Duration timeout) {
        Wait.upTo(timeout).until(() -> delivered.get() >= count || failure != null,
                () -> "capture " + slot + " delivered " + delivered.get() + " of " + count + " changes");
        if (delivered.get() < count) {
            throw new LabException("the capture on " + server.name() + " failed: " + failure.getMessage(), failure);
        }
    }

    /** WAL the server keeps for this slot, in bytes (from the slot's restart_lsn to the current WAL position). */
    public long retainedWalBytes() {
        return Replication.retainedWalBytes(server, slot);
    }

    /** The position the consumer last confirmed to the server (the slot's confirmed_flush_lsn), as a byte offset. */
    public long confirmedPosition() {
        String lsn = server.queryString("select confirmed_flush_lsn from pg_replication_slots where slot_name = '" + slot + "'");
        if (lsn == null) {
            throw new LabException(server.name() + " has no confirmed position for slot " + slot
                    + " (the slot is gone, or was invalidated: see walStatus())");
        }
        return Lsn.parse(lsn);
    }

    /**
     * The slot's wal_status: "reserved" or "extended" (its WAL is kept), "unreserved" (past
     * max_slot_wal_keep_size, may be removed at the next checkpoint), "lost" (removed: the slot is
     * invalidated and can no longer stream).
     */
    public String walStatus() {
        return server.queryString("select wal_status from pg_replication_slots where slot_name = '" + slot + "'");
    }

    public String slot() {
        return slot;
    }

    public String publication() {
        return publication;
    }

    public Postgres server() {
        return server;
    }

    /** Debezium's offsets file (under the lab's run directory; deleted on close). */
    public Path offsetsFile() {
        return offsetsFile;
    }

    /** Stops the engine (cleanly if it runs), drops the slot and the publication, deletes the offsets. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (isRunning()) {
                halt();
            }
        } finally {
            LabOffsetStore.forget(offsetsFile.toString());
            if (server.isRunning()) {
                Replication.dropSlot(server, slot);
                server.execute("drop publication if exists " + publication);
            }
            Files2.deleteTree(folder);
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.setProperty("name", slot);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", LabOffsetStore.class.getName());
        p.setProperty("offset.storage.file.filename", offsetsFile.toString());
        p.setProperty("offset.flush.interval.ms", Long.toString(commitEvery.toMillis()));
        p.setProperty("offset.flush.timeout.ms", "10000");
        p.setProperty("database.hostname", server.host());
        p.setProperty("database.port", Integer.toString(server.port()));
        p.setProperty("database.user", server.user());
        p.setProperty("database.password", server.password() == null ? "" : server.password());
        p.setProperty("database.dbname", server.database());
        p.setProperty("topic.prefix", slot); // also names its metrics (JMX): one per capture
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slot);
        p.setProperty("publication.name", publication);
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", String.join(",", tables.stream().map(t -> t.replace(".", "\\.")).toList()));
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("poll.interval.ms", Long.toString(pollEvery.toMillis()));
        // a lab's server may stop under the engine: give up after a few tries rather than retry forever
        p.setProperty("errors.max.retries", "3");
        return p;
    }

    private boolean slotActive() {
        return "t".equals(server.queryString("select active from pg_replication_slots where slot_name = '" + slot + "'"));
    }

    private void checkOpen() {
        if (closed) {
            throw new LabException("capture " + slot + " is closed: make a new one with ChangeCapture.of(lab, server, tables)");
        }
    }

    private static void checkPositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " needs a positive duration, got " + d);
        }
    }

    @Override
    public String toString() {
        return "ChangeCapture[" + server.name() + " " + tables + ", slot " + slot + (isRunning() ? ", running" : "") + "]";
    }
}
