package org.datalayerlab.lab.workload;

import org.datalayerlab.lab.measure.Interval;
import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.net.NetworkLink.Partition;
import org.datalayerlab.lab.net.NetworkLinks;
import org.datalayerlab.lab.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** YCSB and TPC-B-like workloads against a real (embedded) PostgreSQL server. */
class DatabaseWorkloadTest {

    private static final DataSource DB = TestPostgres.dataSource();

    @Test
    void ycsbLoadsTheUsertable() throws SQLException {
        Ycsb ycsb = Ycsb.usertable(DB).table("ycsb_load").records(2000).fields(3).fieldLength(20).load();
        assertEquals(2000, count("SELECT count(*) FROM ycsb_load"));
        assertEquals(4, count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'ycsb_load'"));
        assertEquals(20, count("SELECT length(field2) FROM ycsb_load WHERE ycsb_key = '" + Ycsb.key(1999) + "'"));
        assertEquals("user000000000042", Ycsb.key(42));
        assertEquals(2000, ycsb.records());
    }

    @Test
    void everyMixRunsWithItsProportions() throws SQLException {
        Ycsb ycsb = Ycsb.usertable(DB).table("ycsb_mix").records(2000).fields(3).fieldLength(20).load();
        for (Ycsb.Mix mix : Ycsb.Mix.values()) {
            Result r = Driver.closedLoop(ycsb.workload(mix)).threads(2).operations(600).run();
            assertEquals(0, r.errors(), mix + ": " + r.firstError());
            assertEquals(600, r.operations());
            assertEquals("YCSB " + mix, r.label());
            double[] expected = {mix.read, mix.update, mix.insert, mix.scan, mix.readModifyWrite};
            String[] kinds = {"read", "update", "insert", "scan", "read-modify-write"};
            for (int k = 0; k < kinds.length; k++) {
                long ops = r.kinds().containsKey(kinds[k]) ? r.kind(kinds[k]).operations() : 0;
                assertEquals(expected[k] * 600, ops, 60, mix + " " + kinds[k]);
            }
        }
        // D and E inserted new keys after the loaded ones
        assertTrue(count("SELECT count(*) FROM ycsb_mix") > 2000);
    }

    @Test
    void insertsContinueAfterTheHighestKeyOfAnExistingTable() throws SQLException {
        Ycsb.usertable(DB).table("ycsb_again").records(500).fields(1).fieldLength(10).load();
        Ycsb existing = Ycsb.usertable(DB).table("ycsb_again").records(500).fields(1).fieldLength(10);
        Result r = Driver.closedLoop(existing.workload(Ycsb.Mix.E)).operations(400).run();
        assertEquals(0, r.errors(), r.firstError());
        Result again = Driver.closedLoop(Ycsb.usertable(DB).table("ycsb_again").records(500).fields(1).fieldLength(10)
                .workload(Ycsb.Mix.D)).operations(400).run();
        assertEquals(0, again.errors(), again.firstError());
    }

    @Test
    void readModifyWriteWritesAndUniformKeysWork() throws SQLException {
        Ycsb ycsb = Ycsb.usertable(DB).table("ycsb_f").records(100).fields(2).fieldLength(8).load();
        String before = text("SELECT string_agg(field0 || field1, '' ORDER BY ycsb_key) FROM ycsb_f");
        Result r = Driver.closedLoop(ycsb.workload(Ycsb.Mix.F, Keys.uniform(100))).operations(300).run();
        assertEquals(0, r.errors(), r.firstError());
        String after = text("SELECT string_agg(field0 || field1, '' ORDER BY ycsb_key) FROM ycsb_f");
        assertTrue(!before.equals(after), "read-modify-write changed values");
    }

    @Test
    void ycsbRejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> Ycsb.usertable(DB).table("users; drop"));
        assertThrows(IllegalArgumentException.class, () -> Ycsb.usertable(DB).records(0));
        assertThrows(IllegalStateException.class, () -> Ycsb.usertable(DB).table("no_such_table").workload(Ycsb.Mix.E));
    }

    @Test
    void tpcbLoadsLikePgbenchAndKeepsTheBooksBalanced() throws SQLException {
        Tpcb tpcb = Tpcb.on(DB).scale(1).load();
        assertEquals(1, count("SELECT count(*) FROM pgbench_branches"));
        assertEquals(10, count("SELECT count(*) FROM pgbench_tellers"));
        assertEquals(100_000, count("SELECT count(*) FROM pgbench_accounts"));
        assertEquals(84, count("SELECT octet_length(filler) FROM pgbench_accounts WHERE aid = 1"));
        assertTrue(tpcb.balanced());

        Result r = Driver.closedLoop(tpcb.workload()).threads(4).operations(1000).run();
        assertEquals(0, r.errors(), r.firstError());
        assertEquals(1000, tpcb.transactions());
        assertTrue(tpcb.balanced(), "every transaction moved the same delta in all four tables");
        assertTrue(count("SELECT count(*) FROM pgbench_accounts WHERE abalance <> 0") > 900);
    }

    @Test
    void jdbcWorkloadRidesThroughABrokenNetwork() {
        try (NetworkLink link = NetworkLinks.inJvm("127.0.0.1", TestPostgres.port())) {
            PGSimpleDataSource viaLink = new PGSimpleDataSource();
            viaLink.setUrl(TestPostgres.jdbcUrl(link.host(), link.port()));
            viaLink.setConnectTimeout(2);
            Workload selectOne = Workload.jdbc("SELECT 1", viaLink, (c, random) -> {
                try (Statement st = c.createStatement()) {
                    st.executeQuery("SELECT 1").close();
                }
                Thread.sleep(2);
            });
            RunningLoad load = Driver.closedLoop(selectOne).threads(2).duration(Duration.ofMillis(1500)).start();
            sleep(400);
            load.mark("reset");
            link.partition(Partition.RESET);
            sleep(300);
            link.partition(Partition.NONE);
            load.mark("healed");
            Result r = load.await();
            assertTrue(r.errors() > 0, "the reset failed some operations: " + r);
            List<Interval> timeline = r.timeline();
            long opsAtEnd = timeline.subList(timeline.size() - 4, timeline.size()).stream().mapToLong(Interval::operations).sum();
            assertTrue(opsAtEnd > 20, "operations resume after the network heals: " + timeline);
            assertEquals(2, r.markers().size());
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DB.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(String sql) throws SQLException {
        try (Connection c = DB.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
