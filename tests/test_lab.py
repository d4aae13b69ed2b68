"""JupyterLab as a person uses it: the server opens a paper notebook and runs it.

The test starts ``jupyter lab`` on 127.0.0.1 with a token (as ``make lab`` does, on a
copy of the paper folder so the repository's outputs are untouched), asks the server for
``01_games.py`` as a notebook (jupytext's contents manager), starts a kernel session and
executes every code cell over the kernel's websocket, with the quick grids. It then checks
that no cell raised and that the notebook's tables, figures and manifest were written.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

pytest.importorskip("jupyterlab")
websocket = pytest.importorskip("websocket")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    def __init__(self, root: Path) -> None:
        self.port = _free_port()
        self.token = uuid.uuid4().hex
        jupyter = Path(sys.executable).with_name("jupyter")
        self.proc = subprocess.Popen(
            [
                str(jupyter),
                "lab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root}",
                *(["--allow-root"] if os.geteuid() == 0 else []),  # CI runs as root
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read() or b"{}")

    def wait(self, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(self.proc.stderr.read().decode()[-3000:])
            try:
                self.api("GET", "/api/status")
                return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError("JupyterLab did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _execute(ws, code: str, timeout: float = 300) -> list[dict]:
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "test",
                    "session": uuid.uuid4().hex,
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False, "allow_stdin": False},
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    outputs, done_reply, idle = [], False, False
    end = time.monotonic() + timeout
    while not (done_reply and idle):
        if time.monotonic() > end:
            raise TimeoutError(code[:200])
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "execute_reply":
            done_reply = True
            if msg["content"]["status"] != "ok":
                outputs.append({"error": msg["content"]})
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            idle = True
        elif kind in ("display_data", "execute_result", "error", "stream"):
            outputs.append({kind: msg["content"]})
    return outputs


def test_lab_opens_and_runs_a_paper_notebook(repo_root: Path, tmp_path: Path, mirror_dir: Path):
    shutil.copytree(repo_root / "papers" / "enforcement", tmp_path / "enforcement")
    for sub in ("tables", "figures", "manifest", "executed"):
        shutil.rmtree(tmp_path / "enforcement" / sub, ignore_errors=True)
    server = _Server(tmp_path)
    try:
        server.wait()
        model = server.api("GET", "/api/contents/enforcement/01_games.py?type=notebook&content=1")
        assert model["type"] == "notebook"  # jupytext's contents manager at work
        cells = model["content"]["cells"]
        code = [c["source"] for c in cells if c["cell_type"] == "code"]
        assert len(code) > 5 and any("tags" in c["metadata"] for c in cells)
        session = server.api(
            "POST",
            "/api/sessions",
            {"path": "enforcement/01_games.py", "type": "notebook", "kernel": {"name": "python3"}},
        )
        kernel = session["kernel"]["id"]
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{server.port}/api/kernels/{kernel}/channels?token={server.token}",
            timeout=300,
        )
        try:
            for i, source in enumerate(code):
                if i == 0:  # the parameters cell: quick grids, as the paper tests do
                    source += "\nQUICK = True\nGRID_N = 41\nBASIN_N = 21"
                outputs = _execute(ws, source)
                errors = [o for o in outputs if "error" in o]
                assert not errors, (i, source[:300], errors)
        finally:
            ws.close()
        manifest = tmp_path / "enforcement" / "manifest" / "01_games.csv"
        assert manifest.is_file() and len(manifest.read_text().splitlines()) > 2
        assert any((tmp_path / "enforcement" / "figures").glob("*.png"))
    finally:
        server.stop()
