package org.datalayerlab.lab;

/**
 * WAL positions (LSNs) as plain longs: byte offsets into the WAL, so a difference is a number of
 * bytes. PostgreSQL writes them as two hex halves, {@code 0/3000148}.
 */
public final class Lsn {

    private Lsn() {
    }

    /** Parses a PostgreSQL LSN such as {@code 0/3000148} into a byte position. */
    public static long parse(String lsn) {
        if (lsn == null) {
            throw new LabException("no WAL position (NULL): is the server a replica that has not replayed anything yet?");
        }
        int slash = lsn.indexOf('/');
        if (slash < 1) {
            throw new LabException("'" + lsn + "' is not a WAL position (expected two hex numbers such as 0/3000148)");
        }
        return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
    }

    /** Formats a byte position as PostgreSQL writes an LSN. */
    public static String format(long position) {
        return Long.toHexString(position >>> 32).toUpperCase() + "/" + Long.toHexString(position & 0xFFFFFFFFL).toUpperCase();
    }
}
