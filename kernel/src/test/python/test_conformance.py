"""Jupyter kernel conformance suite (Debian's jupyter_kernel_test) for the java-lab kernel.

Run through run_conformance.sh, which builds a temporary kernelspec for kernel/target/lib.
"""
import os
import signal
import subprocess
import sys
import time
import unittest

import jupyter_kernel_test

# The lab library with XChart and Tablesaw, as a notebook's first cell loads it.
LIBRARY_JARS = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..",
                                            "library", "target", "lib", "*.jar"))


class JavaLabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "java-lab"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"data" + " layer"', "result": "data layer"},
        {"code": "int x = 20;\nx + 22", "result": "42"},
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reply = cls.kc.execute_interactive(f"%jars {LIBRARY_JARS}", timeout=60, output_hook=lambda m: None)
        assert reply["content"]["status"] == "ok", reply["content"]

    code_display_data = [
        {"code": 'display("shown");', "mime": "text/plain"},
        {"code": "display(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB));",
         "mime": "image/png"},
        {"code": 'display(tech.tablesaw.api.Table.create("t", tech.tablesaw.api.IntColumn.create("n", 1, 2)));',
         "mime": "text/html"},
    ]

    code_generate_error = 'throw new IllegalStateException("boom");'

    completion_samples = [
        {"text": "System.out.printl", "matches": {"println("}},
        {"text": "Math.sqr", "matches": {"sqrt("}},
        {"text": "%ja", "matches": {"%jars"}},
    ]

    complete_code_samples = ["1 + 1", "int y = 1;", "class A {}", "%jars a.jar"]
    incomplete_code_samples = ["class B {", "for (int i = 0; i < 3; i++) {", "1 +"]
    invalid_code_samples = ["int z = ;", ")"]

    code_inspect_sample = "Math.abs"

    code_history_pattern = "6*"
    supported_history_operations = ("tail", "range", "search")

    code_page_something = "?Math.abs"

    code_clear_output = 'System.out.println("before"); clearOutput(true); System.out.println("after");'


class JavaLabInterruptTests(unittest.TestCase):
    """interrupt_request on the control channel stops a busy loop; the next cell works."""

    def test_interrupt_busy_loop(self):
        from jupyter_client.manager import start_new_kernel

        km, kc = start_new_kernel(kernel_name="java-lab")
        try:
            kc.execute_interactive("int warm = 1;", timeout=60, output_hook=lambda m: None)
            msg_id = kc.execute("while (true) {}")
            time.sleep(1.0)
            started = time.monotonic()
            km.interrupt_kernel()
            reply = kc.get_shell_msg(timeout=30)
            stopped = time.monotonic() - started
            self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
            self.assertEqual(reply["content"]["status"], "error")
            self.assertEqual(reply["content"]["ename"], "Interrupted")
            self.assertLess(stopped, 5.0)
            print(f"interrupt stopped while(true) in {stopped * 1000:.0f} ms")

            reply = kc.execute_interactive("1 + 1", timeout=30, output_hook=lambda m: None)
            self.assertEqual(reply["content"]["status"], "ok")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_update_display_data(self):
        from jupyter_client.manager import start_new_kernel

        km, kc = start_new_kernel(kernel_name="java-lab")
        try:
            outputs = []
            reply = kc.execute_interactive(
                'String id = display("first");\nupdateDisplay(id, "second");',
                timeout=60, output_hook=outputs.append)
            self.assertEqual(reply["content"]["status"], "ok")
            kinds = [m["msg_type"] for m in outputs if m["msg_type"] in ("display_data", "update_display_data")]
            self.assertEqual(kinds, ["display_data", "update_display_data"])
            ids = [m["content"]["transient"]["display_id"] for m in outputs
                   if m["msg_type"] in ("display_data", "update_display_data")]
            self.assertEqual(ids[0], ids[1])
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_silent_execution_publishes_nothing(self):
        from jupyter_client.manager import start_new_kernel

        km, kc = start_new_kernel(kernel_name="java-lab")
        try:
            outputs = []
            reply = kc.execute_interactive('System.out.println("quiet"); 5', silent=True,
                                           timeout=60, output_hook=outputs.append)
            self.assertEqual(reply["content"]["status"], "ok")
            published = [m["msg_type"] for m in outputs if m["msg_type"] not in ("status",)]
            self.assertEqual(published, [])
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


class JavaLabProtocolTests(unittest.TestCase):
    """What ipykernel does and jjava's base did not: stop_on_error, bad messages, a dead parent."""

    def setUp(self):
        from jupyter_client.manager import start_new_kernel

        self.km, self.kc = start_new_kernel(kernel_name="java-lab")

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def replies(self, msg_ids, timeout=60):
        found = {}
        deadline = time.monotonic() + timeout
        while len(found) < len(msg_ids) and time.monotonic() < deadline:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") in msg_ids:
                found[reply["parent_header"]["msg_id"]] = reply
        return [found[m] for m in msg_ids]

    def test_queued_cells_are_aborted_after_a_failure(self):
        ids = [self.kc.execute("int ran = 1;"), self.kc.execute('throw new IllegalStateException("first");'),
               self.kc.execute("ran = 2;"), self.kc.execute("ran = 3;")]
        statuses = [r["content"]["status"] for r in self.replies(ids)]
        self.assertEqual(statuses, ["ok", "error", "aborted", "aborted"])
        outputs = []
        reply = self.kc.execute_interactive("ran", timeout=30, output_hook=outputs.append)
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results, ["1"])

    def test_without_stop_on_error_queued_cells_run(self):
        ids = [self.kc.execute('throw new IllegalStateException("first");', stop_on_error=False),
               self.kc.execute("int later = 5;")]
        statuses = [r["content"]["status"] for r in self.replies(ids)]
        self.assertEqual(statuses, ["error", "ok"])

    def test_queued_cells_are_aborted_after_an_interrupt(self):
        ids = [self.kc.execute("while (true) {}"), self.kc.execute('System.out.println("queued");')]
        time.sleep(1.0)
        self.km.interrupt_kernel()
        statuses = [r["content"]["status"] for r in self.replies(ids)]
        self.assertEqual(statuses, ["error", "aborted"])

    def test_wrongly_signed_and_malformed_messages_are_dropped(self):
        import zmq
        from jupyter_client.session import Session

        info = self.km.get_connection_info()
        forged = Session(key=b"not-the-key")
        context = zmq.Context()
        try:
            for port in (info["shell_port"], info["control_port"]):
                intruder = context.socket(zmq.DEALER)
                intruder.linger = 0
                intruder.connect(f"tcp://{info['ip']}:{port}")
                # a request signed with another key, frames that are no Jupyter message, a broken header
                forged.send(intruder, "execute_request", {"code": 'System.out.println("forged");', "silent": False})
                intruder.send_multipart([b"garbage"])
                intruder.send_multipart([b"<IDS|MSG>", b"", b"{not json", b"{}", b"{}", b"{}"])
                intruder.send_multipart([b"<IDS|MSG>", b"", b'{"msg_type": "no_such_request"}', b"{}", b"{}", b"{}"])
                intruder.close()
        finally:
            context.term()
        time.sleep(0.5)
        for _ in range(2):
            reply = self.kc.execute_interactive("40 + 2", timeout=30, output_hook=lambda m: None)
            self.assertEqual(reply["content"]["status"], "ok")
        msg = self.kc.session.msg("kernel_info_request")
        self.kc.control_channel.send(msg)
        reply = self.kc.get_control_msg(timeout=30)
        self.assertEqual(reply["parent_header"]["msg_id"], msg["header"]["msg_id"])
        self.assertEqual(reply["content"]["status"], "ok")


class JavaLabParentTests(unittest.TestCase):
    """A kernel whose parent (JPY_PARENT_PID) dies exits within a few seconds."""

    def test_kernel_exits_when_its_parent_is_killed(self):
        script = (
            "import sys, time\n"
            "from jupyter_client.manager import KernelManager\n"
            "km = KernelManager(kernel_name='java-lab')\n"
            "km.start_kernel()\n"
            "print(km.provisioner.process.pid, flush=True)\n"
            "time.sleep(600)\n"
        )
        parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                                  start_new_session=True)
        kernel_pid = int(parent.stdout.readline())
        try:
            time.sleep(3)
            self.assertTrue(alive(kernel_pid), "the kernel did not start")
            os.kill(parent.pid, signal.SIGKILL)
            parent.wait()
            killed = time.monotonic()
            while alive(kernel_pid) and time.monotonic() - killed < 15:
                time.sleep(0.1)
            gone_after = time.monotonic() - killed
            self.assertFalse(alive(kernel_pid), "the kernel outlived its parent by 15 s")
            print(f"kernel exited {gone_after:.1f} s after its parent was killed")
            self.assertLess(gone_after, 5.0)
        finally:
            if alive(kernel_pid):
                os.kill(kernel_pid, signal.SIGKILL)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purposes
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


if __name__ == "__main__":
    unittest.main()
