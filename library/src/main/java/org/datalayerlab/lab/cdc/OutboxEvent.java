package org.datalayerlab.lab.cdc;

import java.time.Instant;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One event the outbox event router made from a row of the outbox table: the row's columns,
 * routed as a message broker would see them (the aggregate type is the destination, the
 * aggregate id the message key, the payload the message).
 *
 * @param id            the event's id (the outbox row's id): what a consumer deduplicates on
 * @param aggregateType the kind of thing that changed, e.g. "order" (the destination topic)
 * @param aggregateId   which one, e.g. the order's id (the message key: per-key order is kept)
 * @param type          what happened, e.g. "OrderPlaced"
 * @param payload       the event's body (JSON text)
 * @param deliveredAt   when the consumer got it, by this JVM's clock
 */
public record OutboxEvent(String id, String aggregateType, String aggregateId, String type, String payload,
                          Instant deliveredAt) {

    /** An event record the router emitted (topic = aggregate type, key = aggregate id, value = payload). */
    static OutboxEvent of(SourceRecord record, Instant deliveredAt) {
        return new OutboxEvent(header(record, "id"), record.topic(), String.valueOf(record.key()),
                header(record, "eventType"), record.value() == null ? null : String.valueOf(record.value()), deliveredAt);
    }

    private static String header(SourceRecord record, String name) {
        Header h = record.headers().lastWithName(name);
        return h == null || h.value() == null ? null : String.valueOf(h.value());
    }
}
