package org.datalayerlab.kernel.jupyter;

import org.datalayerlab.kernel.engine.CellEngine;
import org.datalayerlab.kernel.engine.JShellEngine;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.reply.CompleteReply;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.reply.InspectReply;
import org.dflib.jjava.jupyter.messages.reply.IsCompleteReply;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;
import org.dflib.jjava.jupyter.messages.request.CompleteRequest;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InspectRequest;
import org.dflib.jjava.jupyter.messages.request.IsCompleteRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * The Jupyter kernel "java-lab": jjava-jupyter's protocol base (ZMQ via jeromq) in front of a
 * {@link JShellEngine}. Execute requests run on the shell thread and block it; interrupt_request
 * arrives on the control thread and stops the running cell.
 */
public final class LabKernel extends BaseKernel {

    static final String PROTOCOL_VERSION = "5.3";
    static final String KERNEL_VERSION = "0.1.0";

    private final CellEngine engine;
    private final CellHistory history;

    private LabKernel(Builder builder, CellEngine engine, CellHistory history) {
        super(builder.name(), KERNEL_VERSION, languageInfo(), List.of(), history,
                builder.io(), builder.comms(), builder.renderer(), null, builder.magics(), false, builder.styler());
        this.engine = engine;
        this.history = history;
    }

    /** The kernel's own log lines (a dropped message, a lost parent) go to its stderr: Jupyter's console. */
    static void log(String line) {
        System.err.println("[java-lab] " + line);
        System.err.flush();
    }

    /** Starts the kernel on the connection file Jupyter passes as {connection_file}. */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--warm-up")) {
            warmUp();
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: java -cp 'kernel/target/lib/*' " + LabKernel.class.getName() + " <connection-file>");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            System.err.println("connection file not found: " + connectionFile);
            System.exit(2);
        }
        // Start JShell warming up first: it overlaps with the ZMQ set-up and the client's handshake.
        JShellEngine engine = new JShellEngine(Path.of("").toAbsolutePath());
        ParentWatch.start(System.getenv("JPY_PARENT_PID"), () -> {
            engine.close();
            System.exit(0); // shutdown hooks stop the servers the cells started
        });
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new LabConnection(properties);
        LabKernel kernel = new LabKernel(new Builder(), engine, new CellHistory());
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        engine.close();
        System.exit(0); // threads a notebook started must not keep the kernel process alive
    }

    /**
     * Runs a representative cell (compile, a chart, a table) and exits. Installers run this once
     * under {@code -XX:ArchiveClassesAtExit=lab-kernel.jsa} so the kernelspec can start the JVM with
     * {@code -XX:SharedArchiveFile=lab-kernel.jsa}: the class-data archive cuts start-up CPU time.
     */
    static void warmUp() {
        // The library, XChart and Tablesaw come from the notebook's %jars line; the installer names them.
        String jars = System.getenv("LAB_WARMUP_JARS");
        String charts = jars == null || jars.isBlank() ? "display(new java.awt.image.BufferedImage(8, 8, 1));\n"
                : "%jars " + jars + "\n"
                + "var chart = org.knowm.xchart.QuickChart.getChart(\"t\", \"x\", \"y\", \"s\", new double[] {1, 2}, new double[] {3, 4});\n"
                + "display(chart);\n"
                + "display(tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.IntColumn.create(\"n\", 1, 2)));\n";
        try (JShellEngine engine = new JShellEngine(Path.of("").toAbsolutePath())) {
            CellEngine.CellResult result = engine.execute(charts
                            + "System.out.println(\"warm\");\n"
                            + "1 + 1", new CellEngine.OutputSink() {
                        @Override
                        public void stdout(String text) {
                        }

                        @Override
                        public void stderr(String text) {
                        }

                        @Override
                        public void display(Map<String, Object> bundle, String displayId, boolean update) {
                        }

                        @Override
                        public void clearOutput(boolean wait) {
                        }
                    });
            engine.complete("System.out.printl", 17);
            if (result.status() != CellEngine.CellResult.Status.OK) {
                System.err.println("warm-up cell failed: " + result.error());
                System.exit(1);
            }
        }
        System.exit(0);
    }

    static LanguageInfo languageInfo() {
        return new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell",
                "java", "text/x-java", null);
    }

    @Override
    public String getBanner() {
        return "Java " + Runtime.version() + " (Data Layer Lab kernel, JShell)";
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        // Front ends take the first kernel_info_reply to mean "ready": answer once JShell has started,
        // or the first Tab would wait for it and JupyterLab drops completions slower than a second.
        engine.awaitReady();
        env.reply(new OkKernelInfoReply(getLanguageInfo(), getBanner()));
    }

    /** jjava's kernel_info_reply has no "status"; the protocol (and the conformance suite) wants "ok". */
    static final class OkKernelInfoReply extends KernelInfoReply {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "ok";

        OkKernelInfoReply(LanguageInfo info, String banner) {
            super(PROTOCOL_VERSION, "java-lab", KERNEL_VERSION, info, banner, List.of());
        }
    }

    @Override
    protected void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        boolean store = request.shouldStoreHistory() && !silent;
        int count = store ? executionCount.getAndIncrement() : Math.max(0, executionCount.get() - 1);
        // busy now; idle goes out just before the reply (deferred actions run last-in first-out), so
        // every IOPub message of the request is sent by the time a client holds the reply
        env.setStatusBusy();
        try {
            runExecuteRequest(env, request, silent, store, count);
        } finally {
            env.defer(env::setStatusIdle);
        }
    }

    private void runExecuteRequest(ShellReplyEnvironment env, ExecuteRequest request, boolean silent, boolean store,
                                   int count) {
        if (!silent) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        HelpRequest help = HelpRequest.parse(request.getCode());
        if (help != null) {
            if (store) {
                history.add(count, request.getCode(), null);
            }
            env.defer().reply(new PagedExecuteReply(count, help.page(engine)));
            return;
        }
        CellEngine.CellResult result = engine.execute(request.getCode(), new PublishingSink(env, silent));
        if (store) {
            Object text = result.executeResult() == null ? null : result.executeResult().get("text/plain");
            history.add(count, request.getCode(), text == null ? null : text.toString());
        }
        if (result.status() == CellEngine.CellResult.Status.OK) {
            if (result.executeResult() != null && !silent) {
                env.publish(new PublishExecuteResult(count, toDisplayData(result.executeResult(), null)));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } else {
            CellEngine.CellError error = result.error();
            if (!silent) {
                env.publish(new PublishError(error.ename(), error.evalue(), error.traceback()));
            }
            ErrorReply reply = new ErrorReply(error.ename(), error.evalue(), error.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        env.setBusyDeferIdle();
        HistoryRequest request = message.getContent();
        Set<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> history.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range range = (HistoryRequest.Range) request;
                yield history.lookupRange(range.getSessionIndex(), range.getStart(), range.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search search = (HistoryRequest.Search) request;
                if (search.filterUnique()) {
                    flags.add(HistoryManager.ResultFlag.UNIQUE);
                }
                yield history.search(search.getPattern(), search.getMaxReturnLength(), flags);
            }
        };
        env.reply(historyReply(env, entries));
    }

    /** jjava's history_reply has no "status" and its entries do not serialize as the tuples Jupyter wants. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Message<?> historyReply(ShellReplyEnvironment env, List<HistoryEntry> entries) {
        List<List<Object>> tuples = new ArrayList<>();
        for (HistoryEntry e : entries) {
            Object io = e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput();
            tuples.add(List.of(e.getSession(), e.getCellNumber(), io));
        }
        return new Message(env.getContext(), MessageType.HISTORY_REPLY, Map.of("status", "ok", "history", tuples));
    }

    /** execute_reply with a pager payload, as IPython answers "?name". */
    static final class PagedExecuteReply extends ExecuteReply {
        @SuppressWarnings("unused") // serialized by Gson
        private final List<Map<String, Object>> payload;

        PagedExecuteReply(int count, Map<String, Object> page) {
            super(count, Collections.emptyMap());
            this.payload = List.of(Map.of("source", "page", "data", page, "start", 0));
        }
    }

    /** Sends a running cell's output to IOPub as it happens (nothing when the request is silent). */
    private static final class PublishingSink implements CellEngine.OutputSink {
        private final ShellReplyEnvironment env;
        private final boolean silent;

        PublishingSink(ShellReplyEnvironment env, boolean silent) {
            this.env = env;
            this.silent = silent;
        }

        @Override
        public void stdout(String text) {
            if (!silent) {
                env.publish(new PublishStream(PublishStream.StreamType.OUT, text));
            }
        }

        @Override
        public void stderr(String text) {
            if (!silent) {
                env.publish(new PublishStream(PublishStream.StreamType.ERR, text));
            }
        }

        @Override
        public void display(Map<String, Object> bundle, String displayId, boolean update) {
            if (silent) {
                return;
            }
            DisplayData data = toDisplayData(bundle, displayId);
            if (update) {
                env.publish(new PublishUpdateDisplayData(data));
            } else {
                env.publish(new PublishDisplayData(data));
            }
        }

        @Override
        public boolean live() {
            return !silent;
        }

        @Override
        public void clearOutput(boolean wait) {
            if (!silent) {
                env.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
            }
        }
    }

    static DisplayData toDisplayData(Map<String, Object> bundle, String displayId) {
        DisplayData data = new DisplayData();
        bundle.forEach(data::putData);
        if (displayId != null) {
            data.setDisplayId(displayId);
        }
        return data;
    }

    @Override
    public void interrupt() {
        engine.interrupt(); // called on the control thread while the shell thread runs the cell
    }

    @Override
    protected void handleCompleteRequest(ShellReplyEnvironment env, Message<CompleteRequest> message) {
        env.setBusyDeferIdle();
        CompleteRequest request = message.getContent();
        String code = request.getCode();
        int cursor = charIndex(code, request.getCursorPos());
        CellEngine.Completion completion = engine.complete(code, cursor);
        env.reply(new CompleteReply(completion.matches(), codePointIndex(code, completion.start()),
                codePointIndex(code, completion.end()), Collections.emptyMap()));
    }

    @Override
    protected void handleInspectRequest(ShellReplyEnvironment env, Message<InspectRequest> message) {
        env.setBusyDeferIdle();
        InspectRequest request = message.getContent();
        String code = request.getCode();
        Map<String, Object> bundle = engine.inspect(code, charIndex(code, request.getCursorPos()), request.getDetailLevel());
        env.reply(new InspectReply(bundle != null, bundle == null ? new DisplayData() : toDisplayData(bundle, null)));
    }

    @Override
    protected void handleIsCodeCompeteRequest(ShellReplyEnvironment env, Message<IsCompleteRequest> message) {
        env.setBusyDeferIdle();
        String code = message.getContent().getCode();
        String status = engine.isComplete(code);
        IsCompleteReply reply;
        switch (status) {
            case "complete":
                reply = IsCompleteReply.VALID_CODE;
                break;
            case "incomplete":
                reply = IsCompleteReply.getIncompleteReplyWithIndent(JShellEngine.indentFor(code));
                break;
            case "invalid":
                reply = IsCompleteReply.INVALID_CODE;
                break;
            default:
                reply = IsCompleteReply.UNKNOWN;
        }
        env.reply(reply);
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        engine.close();
    }

    /** Jupyter counts cursor positions in code points; Java strings in UTF-16 chars. */
    static int charIndex(String code, int codePoints) {
        int total = code.codePointCount(0, code.length());
        return code.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, total)));
    }

    static int codePointIndex(String code, int chars) {
        return code.codePointCount(0, Math.max(0, Math.min(chars, code.length())));
    }

    // The base's abstract evaluation entry points are unused: the handlers above call the engine.

    @Override
    public Object evalRaw(String code) {
        throw new UnsupportedOperationException("LabKernel executes through its CellEngine");
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        Map<String, Object> bundle = engine.inspect(code, at, extraDetail ? 1 : 0);
        return bundle == null ? null : toDisplayData(bundle, null);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CellEngine.Completion c = engine.complete(code, at);
        return new ReplacementOptions(c.matches(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        String status = engine.isComplete(code);
        return "incomplete".equals(status) ? JShellEngine.indentFor(code)
                : "complete".equals(status) ? IS_COMPLETE_YES : IS_COMPLETE_BAD;
    }

    /** Reuses the base builder's defaults for the parts this kernel does not customise. */
    static final class Builder extends BaseKernelBuilder<Builder, LabKernel> {
        String name() {
            return "java-lab";
        }

        org.dflib.jjava.jupyter.kernel.JupyterIO io() {
            return buildJupyterIO(buildJupyterIOEncoding());
        }

        org.dflib.jjava.jupyter.kernel.comm.CommManager comms() {
            return buildCommManager();
        }

        org.dflib.jjava.jupyter.kernel.display.Renderer renderer() {
            return buildRenderer();
        }

        org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics() {
            return buildMagicsRegistry();
        }

        org.dflib.jjava.jupyter.kernel.util.StringStyler styler() {
            return buildErrorStyler();
        }

        @Override
        public LabKernel build() {
            throw new UnsupportedOperationException("use LabKernel.main");
        }
    }
}
