package org.datalayerlab.kernel.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell split into runs of Java code and line magics ({@code %jars ...}), each knowing the cell
 * line it starts on so errors can name the user's line.
 */
final class CellSource {

    enum Kind { CODE, MAGIC }

    /** A run of lines; {@code offset} is where its text starts in the cell, {@code firstLine} is 1-based. */
    record Segment(Kind kind, String text, int offset, int firstLine) {
        /** The 1-based cell line of position {@code pos} in this segment's text. */
        int lineAt(int pos) {
            int line = firstLine;
            for (int i = 0; i < Math.min(pos, text.length()); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }
    }

    private CellSource() {
    }

    static boolean isMagicLine(String line) {
        return line.stripLeading().startsWith("%");
    }

    static List<Segment> split(String cell) {
        List<Segment> segments = new ArrayList<>();
        int lineNo = 1;
        int pos = 0;
        int codeStart = -1;
        int codeLine = 1;
        while (pos <= cell.length()) {
            int end = cell.indexOf('\n', pos);
            int lineEnd = end < 0 ? cell.length() : end;
            String line = cell.substring(pos, lineEnd);
            if (isMagicLine(line)) {
                if (codeStart >= 0) {
                    segments.add(new Segment(Kind.CODE, cell.substring(codeStart, pos), codeStart, codeLine));
                    codeStart = -1;
                }
                segments.add(new Segment(Kind.MAGIC, line.strip(), pos, lineNo));
            } else if (codeStart < 0) {
                codeStart = pos;
                codeLine = lineNo;
            }
            if (end < 0) {
                break;
            }
            pos = end + 1;
            lineNo++;
        }
        if (codeStart >= 0 && codeStart < cell.length()) {
            segments.add(new Segment(Kind.CODE, cell.substring(codeStart), codeStart, codeLine));
        }
        return segments;
    }
}
