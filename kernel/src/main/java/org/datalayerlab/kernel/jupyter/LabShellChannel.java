package org.datalayerlab.kernel.jupyter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.adapters.HeaderAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryRequestAdapter;
import org.dflib.jjava.jupyter.messages.adapters.KernelTimestampAdapter;
import org.dflib.jjava.jupyter.messages.adapters.MessageTypeAdapter;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.zeromq.ZMQ;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The shell and control channels, in place of jjava's {@link ShellChannel} loop, which is in the way
 * twice: its reader throws on a wrongly signed or malformed message and that ends the channel's thread
 * (the kernel never answers again), and it has no way to abort queued requests. This one reads each
 * message whole (all its frames), logs and drops what is not a valid signed Jupyter message, and
 * honours {@code stop_on_error} as ipykernel does: after an execute request fails (or is interrupted),
 * the execute requests already waiting are answered "aborted" and not run.
 */
final class LabShellChannel extends ShellChannel {

    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final long POLL_MS = 50;
    private static final Type JSON_MAP = new TypeToken<Map<String, Object>>() {}.getType();
    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(KernelTimestamp.class, KernelTimestampAdapter.INSTANCE)
            .registerTypeAdapter(Header.class, HeaderAdapter.INSTANCE)
            .registerTypeAdapter(MessageType.class, MessageTypeAdapter.INSTANCE)
            .registerTypeAdapter(HistoryRequest.class, HistoryRequestAdapter.INSTANCE)
            .create();

    private final String name;
    private final JupyterConnection connection;
    private volatile boolean running;
    private volatile Thread thread;
    private ZMQ.Poller poller;
    private volatile Message<?> handling; // the request being handled on this channel's thread
    private final List<Message<?>> abortQueue = new ArrayList<>();

    LabShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean isControl, JupyterConnection connection) {
        super(context, hmac, isControl, connection);
        this.name = isControl ? "control" : "shell";
        this.connection = connection;
    }

    @Override
    public void bind(KernelConnectionProperties properties) {
        int port = name.equals("control") ? properties.getControlPort() : properties.getShellPort();
        bind(formatAddress(properties.getTransport(), properties.getIp(), port));
        poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        running = true;
        thread = new Thread(() -> {
            while (running) {
                if (poller.poll(POLL_MS) > 0 && running) {
                    Message<?> message = readMessage();
                    if (message != null) {
                        handle(message, false);
                    }
                    // requests that were waiting when a cell failed: aborted, as ipykernel does
                    while (running && !abortQueue.isEmpty()) {
                        handle(abortQueue.remove(0), true);
                    }
                }
            }
        }, "Lab-" + name);
        thread.start();
    }

    private void handle(Message<?> message, boolean aborting) {
        MessageType<?> type = message.getHeader().getType();
        ShellHandler handler = connection.getHandler(type);
        if (handler == null) {
            LabKernel.log("ignoring a " + type.getName() + " message on the " + name + " channel: no handler");
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        if (aborting && type == MessageType.EXECUTE_REQUEST) {
            env.publish(PublishStatus.BUSY);
            env.reply(abortedReply(message));
            env.publish(PublishStatus.IDLE);
            return;
        }
        handling = message;
        try {
            handler.handle(env, message);
        } catch (RuntimeException e) {
            LabKernel.log("error handling " + type.getName() + ": " + e);
        } finally {
            env.resolveDeferrals();
            handling = null;
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
        }
    }

    /**
     * An execute request that asked for stop_on_error failed: takes every request already waiting,
     * before the error reply goes out (so nothing sent after the client saw the error is aborted).
     */
    private void takeQueuedRequests() {
        while (poller.poll(0) > 0) {
            Message<?> queued = readMessage();
            if (queued != null) {
                abortQueue.add(queued);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Message<?> abortedReply(Message<?> request) {
        return new Message(request, MessageType.EXECUTE_REPLY, Map.of("status", "aborted"));
    }

    @Override
    public synchronized void sendMessage(Message<?> message) {
        Message<?> request = handling;
        if (request != null && message.getContent() instanceof ErrorReply
                && message.getHeader().getType().getName().equals("execute_reply")
                && request.getContent() instanceof ExecuteRequest execute && execute.shouldStopOnError()
                && Thread.currentThread() == thread) {
            takeQueuedRequests();
        }
        super.sendMessage(message);
    }

    /** One whole multipart message, verified and parsed; null (and a log line) when it is not valid. */
    @Override
    public synchronized Message<?> readMessage() {
        List<byte[]> frames = new ArrayList<>();
        do {
            byte[] frame = recv(ZMQ.DONTWAIT);
            if (frame == null) {
                break;
            }
            frames.add(frame);
        } while (hasReceiveMore());
        try {
            return parse(frames);
        } catch (RuntimeException e) {
            LabKernel.log("dropped a malformed message on the " + name + " channel (" + e.getMessage() + ")");
            return null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Message<?> parse(List<byte[]> frames) {
        int delimiter = 0;
        while (delimiter < frames.size() && !Arrays.equals(frames.get(delimiter), DELIMITER)) {
            delimiter++;
        }
        if (frames.size() - delimiter < 6) {
            throw new IllegalArgumentException(frames.size() + " frames, no <IDS|MSG> delimiter followed by five parts");
        }
        List<byte[]> identities = new ArrayList<>(frames.subList(0, delimiter));
        String signature = new String(frames.get(delimiter + 1), StandardCharsets.US_ASCII);
        byte[] header = frames.get(delimiter + 2);
        byte[] parent = frames.get(delimiter + 3);
        byte[] metadata = frames.get(delimiter + 4);
        byte[] content = frames.get(delimiter + 5);
        String expected = hmacGenerator.calculateSignature(header, parent, metadata, content);
        if (expected != null && !expected.equals(signature)) {
            throw new IllegalArgumentException("wrong HMAC signature");
        }
        Header<?> head = GSON.fromJson(utf8(header), Header.class);
        if (head == null || head.getType() == null || head.getType().getContentType() == null) {
            throw new IllegalArgumentException("no known msg_type in the header");
        }
        JsonElement parentJson = JsonParser.parseString(utf8(parent));
        Header<?> parentHeader = parentJson.isJsonObject() && !parentJson.getAsJsonObject().isEmpty()
                ? GSON.fromJson(parentJson, Header.class) : null;
        Map<String, Object> meta = GSON.fromJson(utf8(metadata), JSON_MAP);
        Object body = GSON.fromJson(utf8(content), head.getType().getContentType());
        if (body == null) {
            throw new IllegalArgumentException("empty content");
        }
        List<byte[]> blobs = new ArrayList<>(frames.subList(delimiter + 6, frames.size()));
        return new Message(identities, head, parentHeader, meta, body, blobs);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000); // let a poll in progress end before the socket goes away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.close();
    }

    @Override
    public void waitUntilClose() {
        Thread t = thread;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
