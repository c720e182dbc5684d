package org.datalayerlab.lab.server;

import java.util.List;
import java.util.function.Consumer;
import org.datalayerlab.lab.LabException;

/**
 * Closing many things at once: every one is closed even when some fail, and the first failure
 * is thrown at the end ({@link #rethrow()}), so one broken proxy does not leave servers running.
 */
public final class Cleanup {

    private RuntimeException first;

    /** {@code close} on each item, in list order. */
    public <T> Cleanup each(List<T> items, Consumer<T> close) {
        for (T item : items) {
            run(() -> close.accept(item));
        }
        return this;
    }

    /** {@code close} on each item, newest (last) first: the reverse of the order they were started in. */
    public <T> Cleanup newestFirst(List<T> items, Consumer<T> close) {
        for (int i = items.size() - 1; i >= 0; i--) {
            T item = items.get(i);
            run(() -> close.accept(item));
        }
        return this;
    }

    /** Closes each resource, newest first. */
    public Cleanup closeNewestFirst(List<? extends AutoCloseable> resources) {
        return newestFirst(resources, this::close);
    }

    /** Closes one resource (a checked exception counts as a failure too). */
    public Cleanup close(AutoCloseable resource) {
        return run(() -> {
            try {
                resource.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new LabException("closing " + resource + " failed: " + e.getMessage(), e);
            }
        });
    }

    /** One step, remembering its failure. */
    public Cleanup run(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            first = first == null ? e : first;
        }
        return this;
    }

    /** Throws the first failure, if there was one. */
    public void rethrow() {
        if (first != null) {
            throw first;
        }
    }
}
