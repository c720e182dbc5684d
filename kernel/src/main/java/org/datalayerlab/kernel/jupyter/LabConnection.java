package org.datalayerlab.kernel.jupyter;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

import java.security.GeneralSecurityException;

/**
 * jjava's connection with {@link LabShellChannel} on the shell and control ports. The base builds
 * its own shell and control channels in its constructor; they stay unbound and are closed with it.
 */
final class LabConnection extends JupyterConnection {

    private final KernelConnectionProperties properties;
    private final ZMQ.Context context = ZMQ.context(1);
    private final LabShellChannel labShell;
    private final LabShellChannel labControl;
    private boolean connected;

    LabConnection(KernelConnectionProperties properties) throws GeneralSecurityException {
        super(properties);
        this.properties = properties;
        HMACGenerator hmac = properties.createHMACGenerator();
        this.labShell = new LabShellChannel(context, hmac, false, this);
        this.labControl = new LabShellChannel(context, hmac, true, this);
    }

    @Override
    public void connect() {
        if (connected) {
            return;
        }
        heartbeat.bind(properties);
        labShell.bind(properties);
        labControl.bind(properties);
        stdin.bind(properties);
        iopub.bind(properties);
        iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        connected = true;
    }

    @Override
    public void close() {
        labShell.close();
        labControl.close();
        context.close();
        super.close();
    }

    @Override
    public void waitUntilClose() {
        labShell.waitUntilClose();
        labControl.waitUntilClose();
        super.waitUntilClose();
    }
}
