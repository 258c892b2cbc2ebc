"""The upload page (frontend/) in headless Chromium from Debian's packages, driven over WebDriver (chromedriver): the
page is served from one local server with a config.json naming a second local server, which answers POST /predict
with the real inference proxy (functions/inference_proxy) in front of a fake endpoint, and CORS as the HTTP API would
for the page's origin. A file is uploaded and its predictions must show; a screenshot is kept in test-artifacts/."""
import base64
import http.server
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FRONTEND = os.path.join(ROOT, "frontend")
ARTIFACTS = os.environ.get("MLOPSTF_TEST_ARTIFACTS", os.path.join(ROOT, "test-artifacts"))
CHROMIUM = os.environ.get("MLOPSTF_CHROMIUM") or shutil.which("chromium") or shutil.which("google-chrome") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("MLOPSTF_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
# Chromium's background connections are refused by this machine's closed network; these flags keep it quiet.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                 "--window-size=1024,900"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_proxy():
    spec = importlib.util.spec_from_file_location("inference_proxy", os.path.join(ROOT, "functions", "inference_proxy", "inference_proxy.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class FakeRuntime:
    """sagemaker-runtime's InvokeEndpoint for a churn model: one score per CSV line."""

    def __init__(self):
        self.calls = []

    def invoke_endpoint(self, EndpointName, ContentType, Body, **_):
        self.calls.append({"EndpointName": EndpointName, "ContentType": ContentType, "Body": Body})
        lines = [l for l in Body.decode().splitlines() if l.strip()]
        scores = "\n".join(f"{0.1 + 0.2 * i:.2f}" for i, _ in enumerate(lines))

        class Stream:
            def read(self_inner):
                return scores.encode()
        return {"Body": Stream(), "ContentType": "text/csv"}


class Servers:
    def __init__(self):
        self.page_port, self.api_port = free_port(), free_port()
        self.page_origin = f"http://127.0.0.1:{self.page_port}"
        self.site = tempfile.mkdtemp(prefix="mlopstf-site-")
        shutil.copytree(FRONTEND, self.site, dirs_exist_ok=True)
        with open(os.path.join(self.site, "config.json"), "w") as f:
            json.dump({"apiUrl": f"http://127.0.0.1:{self.api_port}/predict"}, f)
        self.proxy = load_proxy()
        self.runtime = FakeRuntime()
        self.proxy.runtime_client = lambda: self.runtime
        os.environ.update(ENDPOINT_NAME="mlopstf-test-churn", MAX_BODY_BYTES="1048576")
        site, servers = self.site, self

        class Page(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **k):
                super().__init__(*a, directory=site, **k)

            def log_message(self, *_):
                pass

        class Api(http.server.BaseHTTPRequestHandler):
            def log_message(self, *_):
                pass

            def cors(self):
                if self.headers.get("Origin") == servers.page_origin:
                    self.send_header("Access-Control-Allow-Origin", servers.page_origin)
                    self.send_header("Vary", "Origin")

            def do_OPTIONS(self):
                self.send_response(204)
                self.cors()
                self.send_header("Access-Control-Allow-Methods", "POST")
                self.send_header("Access-Control-Allow-Headers", "content-type")
                self.end_headers()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                event = {"version": "2.0", "rawPath": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                         "body": base64.b64encode(body).decode(), "isBase64Encoded": True,
                         "requestContext": {"requestId": "local-1", "http": {"method": "POST", "path": self.path}}}
                answer = servers.proxy.handler(event, None)
                payload = base64.b64decode(answer["body"]) if answer.get("isBase64Encoded") else answer["body"].encode()
                self.send_response(answer["statusCode"])
                for name, value in (answer.get("headers") or {}).items():
                    self.send_header(name, value)
                self.cors()
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpds = [http.server.ThreadingHTTPServer(("127.0.0.1", self.page_port), Page),
                       http.server.ThreadingHTTPServer(("127.0.0.1", self.api_port), Api)]
        for httpd in self.httpds:
            threading.Thread(target=httpd.serve_forever, daemon=True).start()

    def close(self):
        for httpd in self.httpds:
            httpd.shutdown()
        shutil.rmtree(self.site, ignore_errors=True)


class WebDriver:
    """The W3C WebDriver endpoints the test needs, over chromedriver's HTTP API on loopback."""

    def __init__(self):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="mlopstf-chromium-")
        self.process = subprocess.Popen([CHROMEDRIVER, f"--port={self.port}", "--allowed-ips=127.0.0.1"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                self.call("GET", "/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        options = {"binary": CHROMIUM, "args": CHROMIUM_ARGS + [f"--user-data-dir={self.profile}"]}
        self.session = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}})["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"{}").get("value", {}) if path != "/status" else {}

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def find(self, css):
        return self.s("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def script(self, source, *args):
        return self.s("POST", "/execute/sync", {"script": source, "args": list(args)})

    def wait_for(self, predicate, what, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}")

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.process.terminate()
            self.process.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)


class UploadPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in (CHROMIUM, CHROMEDRIVER):
            if not os.path.exists(tool):
                raise AssertionError(f"{tool} is missing: make setup installs Debian's chromium and chromium-driver (as root)")
        cls.servers = Servers()
        cls.addClassCleanup(cls.servers.close)
        cls.driver = WebDriver()
        cls.addClassCleanup(cls.driver.close)
        os.makedirs(ARTIFACTS, exist_ok=True)

    def open_page(self):
        self.driver.s("POST", "/url", {"url": f"{self.servers.page_origin}/index.html"})
        self.driver.wait_for(lambda: self.driver.script("return document.readyState") == "complete", "the page to load")

    def upload(self, name, content):
        path = os.path.join(tempfile.mkdtemp(prefix="mlopstf-upload-"), name)
        with open(path, "w") as f:
            f.write(content)
        self.driver.s("POST", f"/element/{self.driver.find('#file')}/value", {"text": path})
        self.driver.s("POST", f"/element/{self.driver.find('#submit')}/click", {})

    def test_an_uploaded_file_gets_its_predictions_shown(self):
        self.open_page()
        self.upload("customers.csv", "42,3,120.5,basic\n43,9,310.0,pro\n")
        result = self.driver.find("#result")
        shown = self.driver.wait_for(lambda: self.driver.s("GET", f"/element/{result}/displayed") and self.driver.s("GET", f"/element/{result}/text"),
                                     "the predictions to show")
        self.assertEqual("0.10\n0.30", shown)
        status = self.driver.s("GET", f"/element/{self.driver.find('#status')}/text")
        self.assertEqual("Predictions for customers.csv:", status)
        [call] = self.servers.runtime.calls
        self.assertEqual(("mlopstf-test-churn", "text/csv", b"42,3,120.5,basic\n43,9,310.0,pro\n"), (call["EndpointName"], call["ContentType"], call["Body"]))
        png = base64.b64decode(self.driver.s("GET", "/screenshot"))
        self.assertEqual(b"\x89PNG", png[:4])
        with open(os.path.join(ARTIFACTS, "upload-page.png"), "wb") as f:
            f.write(png)

    def test_an_api_error_is_announced_not_swallowed(self):
        self.open_page()
        self.upload("empty.csv", "")
        status = self.driver.find("#status")
        text = self.driver.wait_for(lambda: "API" in self.driver.s("GET", f"/element/{status}/text") and self.driver.s("GET", f"/element/{status}/text"),
                                    "the error to show")
        self.assertIn("The API answered 400", text)
        self.assertEqual("true", self.driver.script("return String(document.getElementById('status').classList.contains('error'))"))
        self.assertFalse(self.driver.s("GET", f"/element/{self.driver.find('#result')}/displayed"))

    def test_the_controls_are_labelled_and_the_result_is_announced(self):
        self.open_page()
        report = self.driver.script("""
            const input = document.getElementById('file');
            const status = document.getElementById('status');
            return {
              lang: document.documentElement.lang,
              inputLabels: input.labels.length,
              labelText: input.labels[0] ? input.labels[0].textContent.trim() : '',
              buttonText: document.getElementById('submit').textContent.trim(),
              live: status.getAttribute('aria-live'),
              role: status.getAttribute('role'),
              unlabelled: [...document.querySelectorAll('input, button, select, textarea')]
                .filter(e => !(e.labels && e.labels.length) && !e.textContent.trim() && !e.getAttribute('aria-label')).length,
            };""")
        self.assertEqual({"lang": "en", "inputLabels": 1, "live": "polite", "role": "status", "unlabelled": 0},
                         {k: report[k] for k in ("lang", "inputLabels", "live", "role", "unlabelled")})
        self.assertTrue(report["labelText"] and report["buttonText"])


if __name__ == "__main__":
    unittest.main()
