package org.datalayerlab.lab.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.workload.Driver;
import org.datalayerlab.lab.workload.RunningLoad;
import org.datalayerlab.lab.workload.Workload;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Phases: operations and errors counted in the phase they started in, per-phase latencies, markers. */
class PhasesTest {

    @Test
    void countsOperationsErrorsAndLatencyPerPhase() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        AtomicBoolean slow = new AtomicBoolean();
        Phases phases = Phases.of(Workload.of("test", () -> {
            if (failing.get()) {
                throw new IllegalStateException("broken on purpose");
            }
            if (slow.get()) {
                Thread.sleep(20);
            }
        }), "quick");
        Result run;
        try (RunningLoad load = Driver.openLoop(phases, 200).threads(8).duration(Duration.ofMinutes(1)).start()) {
            Thread.sleep(500);
            phases.enter(load, "slow");
            slow.set(true);
            Thread.sleep(500);
            phases.enter(load, "failing");
            slow.set(false);
            failing.set(true);
            Thread.sleep(300);
            run = load.stop();
        }
        assertEquals(List.of("quick", "slow", "failing"), phases.names());
        Result quick = phases.of(run, "quick");
        Result slowPhase = phases.of(run, "slow");
        assertTrue(quick.operations() > 30 && slowPhase.operations() > 30, quick + " / " + slowPhase);
        assertTrue(slowPhase.p50() >= 20 && slowPhase.p50() > 5 * quick.p50(), quick + " / " + slowPhase);
        assertEquals(0, phases.errors("quick"));
        assertTrue(phases.errors("failing") > 10, "errors in the failing phase: " + phases.errors("failing"));
        assertEquals(phases.errors("failing"), run.errors());
        assertEquals(List.of("slow", "failing"), run.markers().stream().map(m -> m.label()).toList());

        Result both = phases.of(run, "quick", "slow");
        assertEquals(quick.operations() + slowPhase.operations(), both.operations());
        Table table = phases.table("per phase", run);
        assertEquals(3, table.rowCount());
        assertEquals(List.of("quick", "slow", "failing"), table.stringColumn("phase").asList());
        assertThrows(IllegalArgumentException.class, () -> phases.of(run, "no such phase"));
    }

    @Test
    void refusesAPhaseNameTwice() {
        Phases phases = Phases.of(Workload.of("noop", () -> { }), "one");
        try (RunningLoad load = Driver.openLoop(phases, 10).duration(Duration.ofSeconds(5)).start()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> phases.enter(load, "one"));
            assertTrue(e.getMessage().contains("already"), e.getMessage());
        }
    }
}
