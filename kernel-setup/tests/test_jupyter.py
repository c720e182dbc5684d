"""The installed kernel driven by real Jupyter (jupyter_client, nbclient, nbconvert from Debian).

Run with /usr/bin/python3 -m unittest discover -s kernel-setup/tests -v
JUPYTER_DATA_DIR may point at a data dir where kernel-setup/install already put "java-lab";
otherwise the tests install it into a temporary one.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from jupyter_client.kernelspec import KernelSpecManager

ROOT = Path(__file__).resolve().parents[2]
KERNEL = "java-lab"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def setUpModule():
    global DATA_DIR, _tmp
    _tmp = tempfile.TemporaryDirectory(prefix="lab-jupyter-")
    DATA_DIR = os.environ.get("JUPYTER_DATA_DIR")
    if not DATA_DIR or not (Path(DATA_DIR) / "kernels" / KERNEL / "kernel.json").exists():
        DATA_DIR = os.path.join(_tmp.name, "data")
        subprocess.run([str(ROOT / "kernel-setup" / "install")], check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "JUPYTER_DATA_DIR": DATA_DIR})
    os.environ["JUPYTER_DATA_DIR"] = DATA_DIR


def tearDownModule():
    _tmp.cleanup()


def java_notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": KERNEL, "display_name": "Java (Data Layer Lab)", "language": "java"},
                   "language_info": {"name": "java"}}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def outputs_of(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == kind]


class InstalledKernelspec(unittest.TestCase):

    def test_kernelspec_is_listed_with_message_interrupts(self):
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
        self.assertEqual("Java (Data Layer Lab)", spec.display_name)
        self.assertEqual("java", spec.language)
        self.assertEqual("message", spec.interrupt_mode)
        self.assertIn("{connection_file}", spec.argv)
        lib = Path(spec.resource_dir) / "lib"
        self.assertTrue(list(lib.glob("lab-kernel-*-lib.jar")), "the jars are copied into the kernelspec")

    def test_install_is_idempotent(self):
        for _ in range(2):
            done = subprocess.run([str(ROOT / "kernel-setup" / "install"), "--no-build"], capture_output=True,
                                  text=True, env={**os.environ, "LAB_NO_CDS": "1",
                                                  "JUPYTER_DATA_DIR": os.path.join(_tmp.name, "again")})
            self.assertEqual(0, done.returncode, done.stderr)
            self.assertIn("Installed the Jupyter kernel", done.stdout)
        spec = json.loads((Path(_tmp.name) / "again/kernels" / KERNEL / "kernel.json").read_text())
        self.assertEqual("org.datalayerlab.kernel.jupyter.LabKernel", spec["argv"][-2])

    def test_prefix_install_goes_under_share_jupyter(self):
        prefix = Path(_tmp.name) / "prefix"
        done = subprocess.run([str(ROOT / "kernel-setup" / "install"), "--no-build", "--prefix", str(prefix)],
                              capture_output=True, text=True, env={**os.environ, "LAB_NO_CDS": "1"})
        self.assertEqual(0, done.returncode, done.stderr)
        spec = prefix / "share/jupyter/kernels" / KERNEL
        self.assertTrue((spec / "kernel.json").exists())
        # other users (a shared conda env) must be able to read and enter it
        for path in (spec, spec / "lib"):
            self.assertEqual(0o755, path.stat().st_mode & 0o777, path)


class NotebookThroughJupyter(unittest.TestCase):

    def test_xchart_chart_comes_back_as_png_through_nbclient(self):
        nb = java_notebook(
            f"%jars {ROOT}/library/target/lib/*.jar",
            'import org.knowm.xchart.*;\n'
            'var chart = new XYChartBuilder().width(400).height(300).title("Latency").xAxisTitle("clients")'
            '.yAxisTitle("p99 (ms)").build();\n'
            'chart.addSeries("p99", new double[] {1, 2, 4, 8}, new double[] {1.2, 1.5, 2.5, 6.0});\n'
            'chart',
            'System.out.println("rows: " + 4);',
        )
        with tempfile.TemporaryDirectory() as cwd:
            NotebookClient(nb, timeout=300, kernel_name=KERNEL, resources={"metadata": {"path": cwd}}).execute()
        nbformat.validate(nb)
        self.assertEqual([], outputs_of(nb, "error"))
        self.assertEqual([], [o for o in outputs_of(nb, "stream") if o.name == "stderr"])
        images = [o for kind in ("execute_result", "display_data") for o in outputs_of(nb, kind)
                  if "image/png" in o.data]
        self.assertTrue(images, "an XChart chart is shown as image/png")
        self.assertTrue(base64.b64decode(images[0].data["image/png"]).startswith(PNG_MAGIC))
        self.assertIn("rows: 4", "".join(o.text for o in outputs_of(nb, "stream")))

    def test_a_rebuilt_library_is_seen_without_reinstalling_the_kernel(self):
        spec_dir = Path(KernelSpecManager().get_kernel_spec(KERNEL).resource_dir)
        installed = sorted(p.name for p in (spec_dir / "lib").iterdir())
        self.assertFalse([j for j in installed if j.startswith(("lab-0", "xchart", "tablesaw"))],
                         f"the kernel's class path must not hold the library or its renderers' libraries: {installed}")
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            (tmp / "lib").mkdir()
            nb = lambda: java_notebook(f"%jars {tmp}/lib/*.jar", "demo.Version.value()")

            def build(version):  # a one-class "library", compiled and jarred as Maven would
                src = tmp / "src" / "demo"
                src.mkdir(parents=True, exist_ok=True)
                (src / "Version.java").write_text(
                    f'package demo; public class Version {{ public static String value() {{ return "{version}"; }} }}')
                java_bin = Path(os.environ["JAVA_HOME"], "bin") if os.environ.get("JAVA_HOME") else None
                tool = lambda name: str(java_bin / name) if java_bin else name
                subprocess.run([tool("javac"), "-d", str(tmp / "classes"), str(src / "Version.java")], check=True)
                subprocess.run([tool("jar"), "cf", str(tmp / "lib" / "demo.jar"), "-C", str(tmp / "classes"), "."],
                               check=True)

            seen = []
            for version in ("first build", "second build"):
                build(version)
                run = nb()
                NotebookClient(run, timeout=300, kernel_name=KERNEL, resources={"metadata": {"path": str(tmp)}}).execute()
                seen.append(outputs_of(run, "execute_result")[0].data["text/plain"])
            self.assertEqual(["first build", "second build"], seen)

    def test_index_notebook_runs_with_nbconvert(self):
        with tempfile.TemporaryDirectory() as out:
            done = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
                                   "--ExecutePreprocessor.timeout=600", "--output-dir", out,
                                   str(ROOT / "notebooks" / "00-index.ipynb")], capture_output=True, text=True)
            self.assertEqual(0, done.returncode, done.stderr[-3000:])
            nb = nbformat.read(os.path.join(out, "00-index.ipynb"), as_version=4)
        nbformat.validate(nb)
        self.assertEqual([], outputs_of(nb, "error"))
        printed = "".join(o.get("text", "") for o in outputs_of(nb, "stream"))
        self.assertIn("PASS  a backend was detected", printed)  # the check cell's Check lines
        self.assertNotIn("FAIL", printed)


if __name__ == "__main__":
    unittest.main()
