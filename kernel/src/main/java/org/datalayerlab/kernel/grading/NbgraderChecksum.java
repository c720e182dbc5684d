package org.datalayerlab.kernel.grading;

import com.google.gson.JsonObject;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksum nbgrader stores in {@code metadata.nbgrader.checksum} (nbgrader's
 * utils.compute_checksum), computed the same way so that nbgrader accepts our released notebooks
 * and we detect edits exactly where nbgrader would: the MD5 of, in order, the cell source, the
 * cell type, Python's str() of is_grade, is_solution and is_locked ("True"/"False"), the grade_id,
 * and for grade cells str(float(points)) (e.g. "2.0").
 */
public final class NbgraderChecksum {

    private NbgraderChecksum() {
    }

    /** The checksum of a cell that has nbgrader metadata with a grade_id. */
    public static String of(JsonObject cell) {
        String gradeId = NbgraderCell.gradeId(cell);
        if (gradeId == null) throw new IllegalArgumentException("the cell has no nbgrader grade_id");
        MessageDigest md5 = md5();
        update(md5, NbgraderCell.source(cell));
        update(md5, NbgraderCell.cellType(cell));
        update(md5, pythonBool(NbgraderCell.isGrade(cell)));
        update(md5, pythonBool(NbgraderCell.isSolution(cell)));
        update(md5, pythonBool(NbgraderCell.isLocked(cell)));
        update(md5, gradeId);
        if (NbgraderCell.isGrade(cell)) update(md5, pythonFloat(NbgraderCell.points(cell)));
        return HexFormat.of().formatHex(md5.digest());
    }

    private static String pythonBool(boolean b) {
        return b ? "True" : "False";
    }

    /** Python's str(float(x)) for the numbers points take: "2.0", "0.5", "12.25". */
    static String pythonFloat(double x) {
        if (Double.isNaN(x)) return "nan";
        if (x == Math.rint(x) && Math.abs(x) < 1e16) return (long) x + ".0";
        if (Math.abs(x) >= 1e-4 && Math.abs(x) < 1e16) {
            return new BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
        }
        return Double.toString(x).replace("E", "e"); // beyond what points ever are
    }

    private static void update(MessageDigest md5, String text) {
        md5.update(text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
