package org.datalayerlab.kernel.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Collects what a cell writes, for assertions. */
final class RecordingSink implements CellEngine.OutputSink {
    final StringBuffer out = new StringBuffer();
    final StringBuffer err = new StringBuffer();
    final List<Map<String, Object>> displays = new ArrayList<>();
    final List<String> displayIds = new ArrayList<>();
    final List<Boolean> updates = new ArrayList<>();
    final List<Boolean> clears = new ArrayList<>();
    boolean live; // as a Jupyter front end (true) or the headless runner (false)

    @Override
    public boolean live() {
        return live;
    }

    @Override
    public void stdout(String text) {
        out.append(text);
    }

    @Override
    public void stderr(String text) {
        err.append(text);
    }

    @Override
    public synchronized void display(Map<String, Object> mimeBundle, String displayId, boolean update) {
        displays.add(mimeBundle);
        displayIds.add(displayId);
        updates.add(update);
    }

    @Override
    public synchronized void clearOutput(boolean wait) {
        clears.add(wait);
    }
}
