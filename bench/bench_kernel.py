#!/usr/bin/python3
"""Kernel benchmark: prints numbers, asserts nothing.

  (a) kernel start to first cell result (start the kernel, wait until ready, run "1 + 1")
  (b) a trivial 3-cell notebook executed headless with nbclient (kernel start, 3 cells, shutdown)
  (c) the same Java notebook through the course's own headless runner (./lab run)

for the Java kernel in a few JVM configurations, side by side with Debian's ipykernel (kernel
"python3" on /usr/bin/python3), median of N runs, and the ratio Java / Python.

Usage: ./lab bench [--runs N]     (the jars must be built; ./lab bench builds them)
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiets ipykernel's debugger note

JAVA_CELLS = ["int x = 21;", "x * 2", 'System.out.println("done " + x);']

# A client-side cost a lesson reports (notebook 05): the CPU work of one SCRAM-SHA-256 handshake,
# PBKDF2 with PostgreSQL's 4096 iterations, timed in the kernel after 20 warm-up rounds.
SCRAM_CELL = """
var f = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
var spec = new javax.crypto.spec.PBEKeySpec("secret".toCharArray(), "saltsaltsaltsalt".getBytes(), 4096, 256);
for (int i = 0; i < 20; i++) f.generateSecret(spec).getEncoded();
long[] ns = new long[30];
for (int i = 0; i < ns.length; i++) { long t = System.nanoTime(); f.generateSecret(spec).getEncoded(); ns[i] = System.nanoTime() - t; }
Arrays.sort(ns);
ns[ns.length / 2] / 1e6
"""
PYTHON_CELLS = ["x = 21", "x * 2", 'print("done", x)']


def install_kernels(data_dir):
    """Installs java-lab (default flags, with CDS) and variants that differ only in JVM flags."""
    env = {**os.environ, "JUPYTER_DATA_DIR": str(data_dir)}
    subprocess.run([str(ROOT / "kernel-setup" / "install"), "--no-build"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    base_dir = data_dir / "kernels" / "java-lab"
    base = json.loads((base_dir / "kernel.json").read_text())
    argv = base["argv"]
    java, rest = argv[0], argv[1:]
    cp_at = rest.index("-cp")
    tail = rest[cp_at:]  # -cp LIB org...LabKernel {connection_file}
    cds = [a for a in rest[:cp_at] if "Share" in a or "cds" in a]
    variants = {
        "java-lab as installed": "java-lab",
        "full JIT, no CDS": ["-Djava.awt.headless=true"],
        "full JIT + AppCDS": ["-Djava.awt.headless=true"] + cds,
        "full JIT + AppCDS + SerialGC": ["-Djava.awt.headless=true", "-XX:+UseSerialGC"] + cds,
        "C1 only + AppCDS": ["-Djava.awt.headless=true", "-XX:TieredStopAtLevel=1"] + cds,
    }
    names = {}
    for i, (label, flags) in enumerate(variants.items()):
        if flags == "java-lab":
            names[label] = "java-lab"
            continue
        if "AppCDS" in label and not cds:
            continue  # the install could not make an archive
        name = f"java-lab-v{i}"
        spec = dict(base, argv=[java] + flags + tail, display_name=label)
        (data_dir / "kernels" / name).mkdir(parents=True, exist_ok=True)
        (data_dir / "kernels" / name / "kernel.json").write_text(json.dumps(spec, indent=1))
        names[label] = name
    return names


def session_seconds(kernel_name, cells):
    """One kernel session: (a) start to first result, plus where the time goes."""
    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=120, stderr=subprocess.DEVNULL)
    ready = time.perf_counter()
    try:
        per_cell = []
        for code in cells:
            t = time.perf_counter()
            reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
            per_cell.append(time.perf_counter() - t)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"{kernel_name}: {reply['content']}")
        scram = None
        if kernel_name.startswith("java-lab"):
            results = []
            reply = kc.execute_interactive(SCRAM_CELL, timeout=300, output_hook=lambda m: results.append(m)
                                           if m["msg_type"] == "execute_result" else None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"{kernel_name}: {reply['content']}")
            scram = float(results[0]["content"]["data"]["text/plain"])
    finally:
        kc.stop_channels()
        t = time.perf_counter()
        km.shutdown_kernel(now=False)
        shutdown = time.perf_counter() - t
    return {"a": ready - start + per_cell[0], "ready": ready - start, "first cell": per_cell[0],
            "later cells": statistics.mean(per_cell[1:]), "shutdown": shutdown, "scram": scram}


def notebook(kernel_name, language, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": kernel_name, "display_name": kernel_name, "language": language}}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def nbclient_seconds(kernel_name, language, cells, cwd):
    nb = notebook(kernel_name, language, cells)
    start = time.perf_counter()
    NotebookClient(nb, kernel_name=kernel_name, timeout=120, resources={"metadata": {"path": cwd}}).execute(stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    errors = [o for c in nb.cells for o in c.outputs if o.output_type == "error"]
    if errors:
        raise RuntimeError(f"{kernel_name}: {errors[0]}")
    return elapsed


def runner_seconds(nb_path):
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    start = time.perf_counter()
    subprocess.run([java, "-Djava.awt.headless=true", f"-Dlab.home={nb_path.parent}", "-cp",
                    str(ROOT / "kernel" / "target" / "lib" / "*"), "org.datalayerlab.kernel.cli.LabCli", "run",
                    str(nb_path)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if "python3" not in KernelSpecManager().find_kernel_specs():
        sys.exit("bench: Debian's ipykernel is missing: apt-get install python3-ipykernel")

    with tempfile.TemporaryDirectory(prefix="lab-bench-") as tmp:
        tmp = Path(tmp)
        os.environ["JUPYTER_DATA_DIR"] = str(tmp / "jupyter")
        print(f"installing the kernel into {tmp / 'jupyter'} (with its class data sharing archive)...", flush=True)
        kernels = install_kernels(tmp / "jupyter")
        nb_path = tmp / "three-cells.ipynb"
        nbformat.write(notebook("java-lab", "java", JAVA_CELLS), nb_path)
        cpu = os.cpu_count()
        java_version = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
        print(f"{args.runs} runs each, median (min..max) in seconds; {cpu} cores; {java_version}; "
              f"python {sys.version.split()[0]}\n")

        # rounds interleave the kernels, so a busy moment on the machine hits all of them alike
        contenders = {"ipykernel (python3)": ("python3", "python", ["1 + 1"] + PYTHON_CELLS)}
        contenders.update({label: (name, "java", ["1 + 1"] + JAVA_CELLS) for label, name in kernels.items()})
        sessions = {label: [] for label in contenders}
        notebooks = {label: [] for label in contenders}
        for _ in range(args.runs):
            for label, (name, language, cells) in contenders.items():
                sessions[label].append(session_seconds(name, cells))
                notebooks[label].append(nbclient_seconds(name, language, cells[1:], str(tmp)))

        def med(label, key):
            return statistics.median(s[key] for s in sessions[label])

        def span(values):
            return f"({min(values):.2f}..{max(values):.2f})"

        py = "ipykernel (python3)"
        py_a, py_b = med(py, "a"), statistics.median(notebooks[py])
        print(f"{'kernel':40} {'(a) start->1st result':>22} {'ratio':>6}  {'(b) 3-cell nbclient':>22} {'ratio':>6}")
        for label in contenders:
            a_all = [s["a"] for s in sessions[label]]
            a, b = med(label, "a"), statistics.median(notebooks[label])
            print(f"{label:40} {a:6.2f} s {span(a_all):>13} {a / py_a:5.2f}x  "
                  f"{b:6.2f} s {span(notebooks[label]):>13} {b / py_b:5.2f}x")
        print("\nwhere the time goes (medians, seconds):")
        print(f"{'kernel':40} {'start->ready':>12} {'first cell':>11} {'later cells':>12} {'shutdown':>9} "
              f"{'SCRAM ms':>9}")
        for label in contenders:
            scram = [s["scram"] for s in sessions[label] if s["scram"] is not None]
            scram_text = f"{statistics.median(scram):9.2f}" if scram else f"{'-':>9}"
            print(f"{label:40} {med(label, 'ready'):12.2f} {med(label, 'first cell'):11.2f} "
                  f"{med(label, 'later cells'):12.2f} {med(label, 'shutdown'):9.2f} {scram_text}")
        print("(SCRAM ms: CPU time of one SCRAM-SHA-256 key derivation, 4096 rounds, inside the kernel:"
              " a client-side cost notebook 05 reports)")
        c_all = [runner_seconds(nb_path) for _ in range(args.runs)]
        c = statistics.median(c_all)
        print(f"\n(c) the same 3-cell Java notebook through ./lab run's runner (CLI JVM + child JVM, no Jupyter): "
              f"{c:.2f} s {span(c_all)}, {c / py_b:.2f}x ipykernel's nbclient run")
        print("\ngoal: (a) at most 1.3x ipykernel's start to first result")


if __name__ == "__main__":
    main()
