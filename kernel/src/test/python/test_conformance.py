"""Jupyter kernel conformance suite (Debian's jupyter_kernel_test) for the java-lab kernel.

Run through run_conformance.sh, which builds a temporary kernelspec for kernel/target/lib.
"""
import time
import unittest

import jupyter_kernel_test


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


if __name__ == "__main__":
    unittest.main()
