package org.datalayerlab.lab.cdc;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One row change as Debezium delivered it: which table, what happened, the row's key, the row
 * before and after (column name to value), and where and when it happened.
 *
 * @param table       schema-qualified table name, e.g. "public.orders"
 * @param operation   'c' insert, 'u' update, 'd' delete (Debezium's op codes; 'r' for snapshot reads)
 * @param key         the primary key columns and their values
 * @param before      the old row (on delete: the key columns only, unless REPLICA IDENTITY FULL); null on insert
 * @param after       the new row; null on delete
 * @param lsn         the change's position in the write-ahead log (a byte offset, see {@link org.datalayerlab.lab.Lsn})
 * @param txId        the id of the transaction that made it
 * @param committedAt when that transaction committed, by the server's clock (microseconds)
 * @param deliveredAt when the consumer got it, by this JVM's clock
 */
public record Change(String table, char operation, Map<String, Object> key, Map<String, Object> before,
                     Map<String, Object> after, long lsn, long txId, Instant committedAt, Instant deliveredAt) {

    /** Commit to delivery (the server's and this JVM's clocks: the same clock on one machine). */
    public Duration latency() {
        return Duration.between(committedAt, deliveredAt);
    }

    /** A column's value: from the new row, or from the old one for a delete. */
    public Object get(String column) {
        Map<String, Object> row = after != null ? after : before;
        return row == null ? null : row.get(column);
    }

    /** The key when it has one column (the usual case), e.g. an order's id. */
    public Object id() {
        if (key.size() != 1) {
            throw new IllegalStateException(table + " has a key of " + key.size() + " columns " + key.keySet()
                    + ": read key() instead of id()");
        }
        return key.values().iterator().next();
    }

    public boolean isInsert() {
        return operation == 'c';
    }

    public boolean isUpdate() {
        return operation == 'u';
    }

    public boolean isDelete() {
        return operation == 'd';
    }

    /** A Debezium change record (Kafka Connect form) as a Change. */
    static Change of(SourceRecord record, Instant deliveredAt) {
        Struct value = (Struct) record.value();
        Struct source = value.getStruct("source");
        String op = value.getString("op");
        Long lsn = source.getInt64("lsn");
        Long txId = source.getInt64("txId");
        Long micros = source.getInt64("ts_us");
        return new Change(source.getString("schema") + "." + source.getString("table"), op.charAt(0),
                record.key() == null ? Map.of() : columns((Struct) record.key()), columns(value.getStruct("before")), columns(value.getStruct("after")),
                lsn == null ? -1 : lsn, txId == null ? -1 : txId,
                Instant.ofEpochSecond(0, micros * 1000), deliveredAt);
    }

    private static Map<String, Object> columns(Struct row) {
        if (row == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Field f : row.schema().fields()) {
            map.put(f.name(), row.get(f));
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public String toString() {
        return operation + " " + table + " " + key + (after != null ? " " + after : "") + " @" + lsn;
    }
}
