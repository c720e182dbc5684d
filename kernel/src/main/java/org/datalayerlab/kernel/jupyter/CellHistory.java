package org.datalayerlab.kernel.jupyter;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * This session's executed cells for history_request (tail, range, search), kept in memory as
 * IPython numbers them: session 1 is this kernel's run, cells count from 1. Earlier sessions are not
 * kept (IPython stores them in SQLite; this kernel starts each session empty).
 */
final class CellHistory implements HistoryManager {

    static final int SESSION = 1;
    private static final int MAX_KEPT = 10_000;

    private record Cell(int number, String input, String output) {}

    private final List<Cell> cells = new ArrayList<>();

    synchronized void add(int number, String input, String output) {
        cells.add(new Cell(number, input, output == null ? "" : output));
        if (cells.size() > MAX_KEPT) {
            cells.remove(0);
        }
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        int from = Math.max(0, cells.size() - Math.max(0, length));
        return entries(cells.subList(from, cells.size()), flags);
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int sessionOffset, int startCell, int endCell, Set<ResultFlag> flags) {
        if (sessionOffset != 0 && sessionOffset != SESSION) {
            return List.of(); // only this session is known
        }
        List<Cell> chosen = new ArrayList<>();
        for (Cell cell : cells) {
            if (cell.number() >= startCell && (endCell <= 0 || cell.number() < endCell)) {
                chosen.add(cell);
            }
        }
        return entries(chosen, flags);
    }

    /** The last {@code length} cells whose input matches the glob (* ? [...]), newest last. */
    @Override
    public synchronized List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
        Pattern glob = globToRegex(pattern == null || pattern.isEmpty() ? "*" : pattern);
        List<Cell> matching = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = cells.size() - 1; i >= 0; i--) {
            Cell cell = cells.get(i);
            if (!glob.matcher(cell.input()).matches()) {
                continue;
            }
            if (flags.contains(ResultFlag.UNIQUE) && !seen.add(cell.input())) {
                continue;
            }
            matching.add(0, cell);
            if (length > 0 && matching.size() == length) {
                break;
            }
        }
        return entries(matching, flags);
    }

    private static List<HistoryEntry> entries(List<Cell> cells, Set<ResultFlag> flags) {
        boolean withOutput = flags.contains(ResultFlag.INCLUDE_OUTPUT);
        List<HistoryEntry> entries = new ArrayList<>();
        for (Cell cell : cells) {
            entries.add(new HistoryEntry(SESSION, cell.number(), cell.input(), withOutput ? cell.output() : null));
        }
        return entries;
    }

    /** SQLite GLOB as IPython's history search uses it: * any run, ? one character, [...] a set. */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append("[\\s\\S]*");
                case '?' -> regex.append("[\\s\\S]");
                case '[' -> {
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        regex.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, close);
                        regex.append('[').append(set.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                        i = close;
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
