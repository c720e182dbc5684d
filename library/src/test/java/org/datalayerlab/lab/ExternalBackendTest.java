package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.datalayerlab.lab.server.external.ExternalBackend;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The external backend against real servers the "user" runs (here: an embedded cluster's URLs). */
class ExternalBackendTest {

    @Test
    void usesServersByUrlAndRefusesWhatItCannotDo() {
        try (Lab embedded = Lab.start("embedded")) {
            Cluster real = embedded.cluster(1);
            Postgres p = real.primary();
            Postgres r = real.replica(0);
            try (ExternalBackend ext = new ExternalBackend(List.of(p.jdbcUrl(), r.jdbcUrl()), p.user(), p.password())) {
                Postgres first = ext.postgres("x", Settings.none());
                assertEquals(p.port(), first.port());
                first.execute("create table ext(id int); insert into ext values (7)");
                assertEquals(1, first.queryLong("select count(*) from ext"));
                LabException kill = assertThrows(LabException.class, first::kill9);
                assertTrue(kill.getMessage().contains("external backend"), kill.getMessage());
                assertThrows(LabException.class, first::stop);

                Cluster c = ext.cluster("c", ClusterSpec.replicas(1));
                assertEquals(p.port(), c.primary().port());
                assertEquals(r.port(), c.replica(0).port());
                c.awaitReplicas(Duration.ofSeconds(30));
                assertEquals(7, c.replica(0).queryLong("select id from ext"));
                LabException add = assertThrows(LabException.class, c::addReplica);
                assertTrue(add.getMessage().contains("LAB_BACKEND=embedded"), add.getMessage());
                // what a user's cluster cannot do on request fails naming the backend
                for (org.junit.jupiter.api.function.Executable refused : List.<org.junit.jupiter.api.function.Executable>of(
                        c::addReplica, () -> c.promote(c.replica(0)), () -> c.replica(0).kill9(),
                        () -> c.replicationLink(c.replica(0)))) {
                    LabException e = assertThrows(LabException.class, refused);
                    assertTrue(e.getMessage().contains("not possible on the external backend"), e.getMessage());
                }

                assertThrows(LabException.class, () -> ext.cluster("c", ClusterSpec.replicas(2)));
                ext.postgres("y", Settings.none());
                LabException none = assertThrows(LabException.class, () -> ext.postgres("z", Settings.none()));
                assertTrue(none.getMessage().contains("LAB_EXTERNAL_URLS"));
            }
            assertTrue(p.isRunning(), "closing the external backend leaves the user's servers running");
        }
    }

    @Test
    void environmentReportAndScale() {
        Table t = Environment.report();
        List<String> items = t.stringColumn("item").asList();
        assertTrue(items.containsAll(List.of("JDK", "OS", "cores", "Docker reachable", "backend", "LAB_SCALE")), items.toString());
        assertEquals(2, t.columnCount());
        String scale = Scale.current();
        assertEquals(scale.equals("full") ? 2 : 1, Scale.pick(1, 2));
    }
}
