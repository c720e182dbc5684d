"""JupyterLab 4 in headless Chromium (Selenium) with the java-lab kernel. Run it through ./run."""
import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import unittest
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ARGS = None
RUN_ALL_TIMEOUT = float(os.environ.get("LAB_BROWSER_RUN_ALL_TIMEOUT", "900"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scratch_notebook(path, cells):
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
                     "outputs": [], "source": src} for i, src in enumerate(cells)],
          "metadata": {"kernelspec": {"name": "java-lab", "display_name": "Java (Data Layer Lab)",
                                      "language": "java"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb, indent=1))


class JupyterLabInChromium(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.out = Path(ARGS.out)
        cls.notebooks = Path(ARGS.notebooks)
        scratch_notebook(cls.notebooks / "browser-completion.ipynb",
                         ['var s = "abc";\ns.toUpp', "while (true) { Thread.onSpinWait(); }"])
        scratch_notebook(cls.notebooks / "browser-stop.ipynb",
                         ["int before = 1;", 'throw new IllegalStateException("stop here");',
                          'System.out.println("ran after the failure");'])
        cls.token = secrets.token_hex(16)
        cls.port = free_port()
        env = {**os.environ, "LAB_SCALE": os.environ.get("LAB_SCALE", "ci")}
        cls.log = open(cls.out / "jupyterlab.log", "w")
        cls.server = subprocess.Popen(
            [str(Path(ARGS.venv) / "bin" / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1", f"--port={cls.port}",
             f"--IdentityProvider.token={cls.token}", f"--ServerApp.root_dir={cls.notebooks}",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             "--LabApp.extension_manager=readonly", "--LabApp.news_url=None"]
            + (["--allow-root"] if os.geteuid() == 0 else []),
            stdout=cls.log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        cls.base = f"http://127.0.0.1:{cls.port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{cls.base}/api/status?token={cls.token}", timeout=2)
                break
            except OSError:
                if cls.server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {cls.out / 'jupyterlab.log'}")
                time.sleep(0.5)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1400,1000",
                     f"--user-data-dir={cls.out / 'chromium-profile'}"):
            options.add_argument(flag)
        subprocess.run(["rm", "-rf", str(cls.out / "chromium-profile")], check=False)
        cls.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.driver.set_page_load_timeout(120)
        cls.screenshots = []

    @classmethod
    def tearDownClass(cls):
        try:
            cls.driver.quit()
        finally:
            # shut the server down (it stops its kernels), then make sure it is gone
            try:
                req = urllib.request.Request(f"{cls.base}/api/shutdown?token={cls.token}", method="POST", data=b"")
                urllib.request.urlopen(req, timeout=10)
                cls.server.wait(timeout=30)
            except Exception:
                cls.server.terminate()
                try:
                    cls.server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    cls.server.kill()
            cls.log.close()
            print("screenshots:", *cls.screenshots, sep="\n  ")

    # --- helpers -------------------------------------------------------------------------------

    def api(self, method, path):
        req = urllib.request.Request(f"{self.base}/api/{path}?token={self.token}", method=method)
        with urllib.request.urlopen(req, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        """Shuts down the kernels earlier tests left (they stop their servers): one notebook at a time."""
        for kernel in self.api("GET", "kernels"):
            self.api("DELETE", f"kernels/{kernel['id']}")

    def open(self, name):
        self.shutdown_kernels()
        self.driver.get(f"{self.base}/lab/tree/{name}?token={self.token}&reset")
        self.wait_for(lambda d: self.kernel_idle(), 180, f"{name}: the kernel never became idle")

    def wait_for(self, condition, timeout, message):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.25).until(condition)
        except TimeoutException:
            self.shot("timeout")
            raise AssertionError(message)

    def kernel_idle(self):
        """The status bar says "Java (Data Layer Lab) | Idle" (the toolbar says idle before the kernel is up)."""
        bar = [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, ".jp-StatusBar-TextItem")]
        status = self.driver.find_elements(By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator")
        return (any(t.startswith("Java (Data Layer Lab)") and t.endswith("| Idle") for t in bar)
                and bool(status) and status[0].get_attribute("data-status") == "idle")

    def shot(self, label):
        path = self.out / f"{len(self.screenshots) + 1:02d}-{label}.png"
        self.driver.save_screenshot(str(path))
        self.screenshots.append(str(path))

    def menu(self, menu, entry):
        """Clicks a menu entry, as a user would (e.g. Run > Run All Cells)."""
        self.driver.find_element(By.XPATH, f"//li[contains(@class,'lm-MenuBar-item')]"
                                           f"[.//div[normalize-space()='{menu}']]").click()
        item = self.wait_for(lambda d: d.find_element(By.XPATH, f"//li[contains(@class,'lm-Menu-item')]"
                                                                f"[.//div[normalize-space()='{entry}']]"),
                             10, f"no menu entry {menu} > {entry}")
        item.click()

    def prompts(self):
        return [p.text.strip() for p in self.driver.find_elements(
            By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell .jp-InputArea-prompt")]

    def run_all_and_wait(self):
        self.menu("Run", "Run All Cells")
        time.sleep(1.0)
        self.wait_for(lambda d: self.kernel_idle() and not any("*" in p for p in self.prompts()),
                      RUN_ALL_TIMEOUT, "Run All did not finish")

    def error_outputs(self):
        return [e.text for e in self.driver.find_elements(
            By.CSS_SELECTOR, ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")]

    def images(self):
        return self.driver.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output img")

    # --- tests ---------------------------------------------------------------------------------

    def test_1_index_and_01_run_all_with_images_and_no_errors(self):
        for name, needs_images in (("00-index.ipynb", False), ("01-replication-basics.ipynb", True)):
            with self.subTest(notebook=name):
                self.open(name)
                started = time.monotonic()
                self.run_all_and_wait()
                print(f"{name}: Run All took {time.monotonic() - started:.0f} s")
                self.shot(name.split(".")[0])
                self.assertEqual([], self.error_outputs(), f"{name}: a cell shows an error or stderr output")
                self.assertTrue(all(p not in ("[ ]:", "") for p in self.prompts()),
                                f"{name}: not every code cell ran: {self.prompts()}")
                if needs_images:
                    imgs = self.images()
                    self.assertGreaterEqual(len(imgs), 1, f"{name}: no chart image in the page")
                    self.assertTrue(all(i.get_attribute("src").startswith("data:image/png") for i in imgs))
                    self.assertTrue(all(i.size["width"] > 100 for i in imgs), "a chart image is not shown")
                    self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", imgs[0])
                    self.shot(name.split(".")[0] + "-first-chart")

    def test_2_completion_in_a_two_line_cell(self):
        self.open("browser-completion.ipynb")
        editor = self.driver.find_elements(By.CSS_SELECTOR, ".jp-CodeCell .cm-content")[0]
        editor.click()
        # Tab completes once JupyterLab has connected the kernel's completer to the notebook
        self.wait_for(lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-Notebook.jp-mod-editMode .jp-mod-completer-enabled"), 60,
                      "JupyterLab did not enable kernel completion for the notebook")
        editor.send_keys(Keys.CONTROL, Keys.END)
        editor.send_keys(Keys.TAB)
        items = self.wait_for(lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-Completer-item"), 30,
                              "no completion list after Tab on s.toUpp")
        labels = [i.text for i in items]
        self.shot("completion")
        self.assertTrue(any("toUpperCase" in label for label in labels), labels)
        editor.send_keys(Keys.ESCAPE)

    def test_3_interrupt_a_busy_cell(self):
        self.open("browser-completion.ipynb")
        cells = self.driver.find_elements(By.CSS_SELECTOR, ".jp-CodeCell .cm-content")
        cells[1].click()
        cells[1].send_keys(Keys.SHIFT, Keys.ENTER)
        self.wait_for(lambda d: "*" in self.prompts()[1], 30, "the busy cell did not start")
        time.sleep(2)
        started = time.monotonic()
        self.menu("Kernel", "Interrupt Kernel")
        self.wait_for(lambda d: self.kernel_idle() and "*" not in self.prompts()[1], 30,
                      "the busy cell was not interrupted")
        print(f"interrupt: the cell stopped {time.monotonic() - started:.1f} s after the click")
        self.shot("interrupted")
        self.assertTrue(any("Interrupted" in e for e in self.error_outputs()), self.error_outputs())

    def test_4_run_all_stops_at_a_failing_cell(self):
        self.open("browser-stop.ipynb")
        self.run_all_and_wait()
        self.shot("run-all-stops")
        errors = self.error_outputs()
        self.assertEqual(1, len(errors), errors)
        self.assertIn("stop here", errors[0])
        outputs = " ".join(o.text for o in self.driver.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output"))
        self.assertNotIn("ran after the failure", outputs)
        self.assertIn("[ ]", self.prompts()[2], f"the cell after the failure ran: {self.prompts()}")


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--venv", required=True)
    parser.add_argument("--notebooks", required=True)
    parser.add_argument("--out", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], "-v"] + rest)


if __name__ == "__main__":
    main()
