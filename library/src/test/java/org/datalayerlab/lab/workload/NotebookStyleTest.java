package org.datalayerlab.lab.workload;

import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Replication;
import org.datalayerlab.lab.chart.Charts;
import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.measure.Results;
import org.datalayerlab.lab.measure.Sampler;
import org.datalayerlab.lab.measure.TimeSeries;
import org.datalayerlab.lab.net.NetworkLink;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.postgresql.ds.PGSimpleDataSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library as a notebook uses it, on the lab's own servers: a few lines each. */
class NotebookStyleTest {

    @Test
    void replicatedClusterWorkloadLagAndCharts() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Cluster cluster = lab.cluster(2);
            Postgres primary = cluster.primary();

            Ycsb ycsb = Ycsb.usertable(primary.dataSource()).records(5_000).fields(3).load();
            Result run;
            TimeSeries lag;
            try (Sampler sampler = Sampler.start("replica 1 lag", Duration.ofMillis(50),
                    () -> Replication.lagBytes(primary, cluster.replica(0)))) {
                run = Driver.closedLoop(ycsb.workload(Ycsb.Mix.A)).threads(2)
                        .warmup(Duration.ofMillis(300)).duration(Duration.ofSeconds(1)).run();
                lag = sampler.stop();
            }

            assertEquals(0, run.errors(), run.firstError());
            assertTrue(lag.size() >= 10, lag.toString());
            assertEquals(0, lag.errors(), lag.firstError());
            assertEquals(1, Results.table("YCSB A", run).rowCount());
            BitmapEncoder.getBitmapBytes(Charts.timeSeries("Lag while YCSB A writes", "lag (bytes)", lag), BitmapEncoder.BitmapFormat.PNG);
            BitmapEncoder.getBitmapBytes(Charts.percentiles("YCSB A on the primary", run.kind("read"), run.kind("update")),
                    BitmapEncoder.BitmapFormat.PNG);
        }
    }

    @Test
    void labLinkDelaysQueriesToItsServer() {
        try (Lab lab = Lab.start("embedded")) {
            Postgres server = lab.postgres();
            NetworkLink link = lab.link(server).delay(Duration.ofMillis(10), Duration.ZERO);
            PGSimpleDataSource viaLink = new PGSimpleDataSource();
            viaLink.setUrl("jdbc:postgresql://" + link.host() + ":" + link.port() + "/postgres");
            viaLink.setUser(server.user());
            viaLink.setPassword(server.password());

            Result direct = Driver.closedLoop(selectOne(server.dataSource())).warmup(Duration.ofMillis(200)).operations(50).run();
            Result far = Driver.closedLoop(selectOne(viaLink)).warmup(Duration.ofMillis(200)).operations(50).run();
            assertTrue(direct.p50() < 3, direct.toString());
            // the link adds its 10 ms to what the query costs anyway (more on a loaded machine)
            assertTrue(far.p50() >= 9 && far.p50() <= direct.p50() + 10 + 3,
                    "expected about " + (direct.p50() + 10) + " ms through the link: " + far + " vs direct " + direct);
        }
    }

    private static Workload selectOne(javax.sql.DataSource ds) {
        return Workload.jdbc("SELECT 1", ds, (c, random) -> {
            try (var st = c.createStatement()) {
                st.executeQuery("SELECT 1").close();
            }
        });
    }
}
