package org.datalayerlab.lab.transactions;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.datalayerlab.lab.LabException;

/**
 * An orchestrated saga: a sequence of local transactions, each in its own service and database,
 * each with a compensation that semantically undoes it. The orchestrator runs the steps in order;
 * when one fails for good it runs the compensations of the completed steps in reverse order.
 *
 * <pre>{@code
 * Saga.Outcome o = Saga.of("order-17")
 *         .step("reserve stock", key -> inventory.reserve(key, item, 1), key -> inventory.release(key))
 *         .step("charge card",   key -> payments.charge(key, 17, 40),    key -> payments.refund(key))
 *         .step("confirm order", key -> orders.confirm(17),              key -> { })
 *         .run();
 * }</pre>
 *
 * A step that throws {@link Retry} (a timeout, a lost reply: it may or may not have happened) is
 * sent again with the same <em>idempotency key</em> ({@code sagaId:step}, compensations
 * {@code sagaId:step:undo}), so a service that remembers the keys it has applied does the work once.
 * {@link #withoutIdempotencyKeys()} sends a fresh key with every attempt instead: what a client
 * without keys does, for comparison.
 */
public final class Saga {

    /** One step's work (or compensation), given the key that names this attempt's effect. */
    @FunctionalInterface
    public interface Action {
        void run(String idempotencyKey) throws Exception;
    }

    /** Thrown by a step whose outcome is unknown (a timeout, a lost reply): the orchestrator retries it. */
    public static final class Retry extends RuntimeException {
        public Retry(String why) {
            super(why);
        }
    }

    /** What one run did: completed or compensated, the steps done and undone, the retries, the failure. */
    public record Outcome(String id, boolean completed, List<String> done, List<String> compensated, int retries, String failure) {
    }

    private record Step(String name, Action action, Action compensation) {
    }

    /** A step whose every attempt ended in {@link Retry}: its effect is unknown. */
    private static final class Unanswered extends LabException {
        Unanswered(String message) {
            super(message);
        }
    }

    private static final int COMPENSATION_ATTEMPTS = 20;

    private final String id;
    private final List<Step> steps = new ArrayList<>();
    private int retries = 3;
    private boolean idempotencyKeys = true;

    private Saga(String id) {
        this.id = id;
    }

    public static Saga of(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("Saga.of(id): give the saga an id, e.g. \"order-17\"; it starts every idempotency key");
        }
        return new Saga(id);
    }

    /** Adds a step and its compensation (use {@code key -> { }} for a step that needs none, e.g. the last). */
    public Saga step(String name, Action action, Action compensation) {
        steps.add(new Step(name, action, compensation));
        return this;
    }

    /** How many times a step that throws {@link Retry} is sent again before the saga gives up on it (default 3). */
    public Saga retries(int times) {
        if (times < 0) {
            throw new IllegalArgumentException("retries(" + times + "): give 0 or more");
        }
        this.retries = times;
        return this;
    }

    /** Every attempt gets a new random key: retries are no longer recognisable as repeats. */
    public Saga withoutIdempotencyKeys() {
        this.idempotencyKeys = false;
        return this;
    }

    /** Runs the steps; on a failure, compensates the completed ones in reverse order. */
    public Outcome run() {
        if (steps.isEmpty()) {
            throw new IllegalStateException("saga " + id + " has no steps: add them with step(name, action, compensation)");
        }
        List<String> done = new ArrayList<>();
        int[] retried = {0};
        for (Step s : steps) {
            try {
                attempt(s.name(), s.action(), id + ":" + s.name(), retries, retried);
                done.add(s.name());
            } catch (Exception failure) {
                List<String> undone = new ArrayList<>();
                // a step that never answered may have happened: undo it too (its compensation must
                // then cope with an effect that is not there, which keyed compensations do)
                int last = failure instanceof Unanswered ? done.size() : done.size() - 1;
                for (int i = last; i >= 0; i--) {
                    Step completed = steps.get(i);
                    try {
                        attempt(completed.name() + " (undo)", completed.compensation(), id + ":" + completed.name() + ":undo",
                                COMPENSATION_ATTEMPTS, retried);
                    } catch (Exception e) {
                        throw new LabException("saga " + id + ": the compensation of '" + completed.name() + "' failed "
                                + COMPENSATION_ATTEMPTS + " times (" + e.getMessage() + "): the saga is stuck half-way and needs a person", e);
                    }
                    undone.add(completed.name());
                }
                return new Outcome(id, false, done, undone, retried[0], s.name() + ": " + failure.getMessage());
            }
        }
        return new Outcome(id, true, done, List.of(), retried[0], null);
    }

    private void attempt(String what, Action action, String key, int maxRetries, int[] retried) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                action.run(idempotencyKeys ? key : key + ":" + UUID.randomUUID());
                return;
            } catch (Retry unknown) {
                if (attempt >= maxRetries) {
                    throw new Unanswered(what + ": still no answer after " + (attempt + 1) + " attempts (" + unknown.getMessage() + ")");
                }
                retried[0]++;
            }
        }
    }

    @Override
    public String toString() {
        return "Saga[" + id + ", " + steps.size() + " steps]";
    }
}
