package org.datalayerlab.lab.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CrashPlanTest {

    @Test
    void theSameSeedCrashesTheSameOperationsAtTheSamePoints() {
        CrashPlan a = CrashPlan.seeded(7, 0.1, "before commit", "after commit");
        CrashPlan b = CrashPlan.seeded(7, 0.1, "before commit", "after commit");
        for (long op = 0; op < 1000; op++) {
            assertEquals(a.pointOf(op), b.pointOf(op), "operation " + op);
        }
        // asking in another order does not change the answers
        assertEquals(a.pointOf(500), b.pointOf(500));
    }

    @Test
    void crashesAboutAtTheRateGivenAndAtEveryPoint() {
        CrashPlan plan = CrashPlan.seeded(3, 0.1, "before commit", "after commit");
        long before = plan.count(10_000, "before commit");
        long after = plan.count(10_000, "after commit");
        assertTrue(before + after > 850 && before + after < 1150, before + " + " + after);
        assertTrue(before > 350 && after > 350, before + " and " + after);
    }

    @Test
    void atThrowsOnlyWhereThePlanSays() {
        CrashPlan plan = CrashPlan.seeded(11, 0.5, "before commit", "after commit");
        long op = 0;
        while (!"after commit".equals(plan.pointOf(op))) {
            op++;
        }
        plan.at(op, "before commit");   // not here
        long crashing = op;
        CrashPlan.InjectedCrash crash = assertThrows(CrashPlan.InjectedCrash.class, () -> plan.at(crashing, "after commit"));
        assertEquals("after commit", crash.point());
        assertEquals(crashing, crash.operation());
    }

    @Test
    void noneNeverCrashesAndBadInputIsExplained() {
        CrashPlan none = CrashPlan.none();
        for (long op = 0; op < 100; op++) {
            assertNull(none.pointOf(op));
            none.at(op, "after commit");
        }
        assertThrows(IllegalArgumentException.class, () -> CrashPlan.seeded(1, 1.5, "x"));
        assertThrows(IllegalArgumentException.class, () -> CrashPlan.seeded(1, 0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrashPlan.seeded(1, 0.1, "before commit").at(0, "befor commit"));
        assertTrue(e.getMessage().contains("[before commit]"), e.getMessage());
    }
}
