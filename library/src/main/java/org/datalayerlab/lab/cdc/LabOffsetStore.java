package org.datalayerlab.lab.cdc;

import io.debezium.embedded.KafkaConnectUtil;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.util.Callback;

/**
 * Debezium's own offsets file (Kafka Connect's {@link FileOffsetBackingStore}), plus one thing:
 * after {@link ChangeCapture#crash()} it refuses every write, as a killed process would write
 * nothing more. A refused write also keeps the engine from confirming the position to the server
 * (Debezium confirms a slot position only after its offsets are stored), so after a crash both the
 * file and the slot stay at the last position stored before it: what a restart then redelivers is
 * what a real crash redelivers. Debezium makes it by class name (the engine's offset.storage).
 */
public final class LabOffsetStore extends FileOffsetBackingStore {

    /** Offsets files whose consumer has "crashed": writes refused until an engine starts on the file again. */
    private static final Set<String> CRASHED = ConcurrentHashMap.newKeySet();

    private String file;

    public LabOffsetStore() {
        super(KafkaConnectUtil.converterForOffsetStore());
    }

    static void crash(String offsetsFile) {
        CRASHED.add(offsetsFile);
    }

    static void forget(String offsetsFile) {
        CRASHED.remove(offsetsFile);
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        file = config.getString("offset.storage.file.filename");
    }

    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        if (CRASHED.contains(file)) {
            ConnectException dead = new ConnectException("the consumer crashed: offsets are no longer stored");
            if (callback != null) {
                callback.onCompletion(dead, null);
            }
            return CompletableFuture.failedFuture(dead);
        }
        return super.set(values, callback);
    }
}
