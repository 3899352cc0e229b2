"""A small simulator of a source's pull API (paginated JSON with watermarks), for tests and the demo.

Runs in its own process on loopback: ``manage.py run_source_simulator --port 8765`` or
``python -m dfsp.datahub.simulator --port 8765``. ``GET /records?since=<watermark>&page=<n>``
returns ``{"items": [...], "next_page": n+1 | null}`` ordered by ``updated_at``.
``POST /_control`` with JSON injects failures or data: ``{"fail_next": 3}`` (the next three
record requests answer 500), ``{"fail_page": 2}`` (only page 2 fails while fail_next lasts),
``{"add": 5}`` (five newer records), ``{"reset_failures": true}``.
"""

import argparse
import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from dfsp.core.identifiers import make_uscc

START = datetime(2026, 1, 1, 8, 0, 0)


class State:
    def __init__(self, enterprises: int, months: int, page_size: int) -> None:
        self.lock = threading.Lock()
        self.page_size = page_size
        self.records: list[dict] = []
        self.fail_next = 0
        self.fail_page: int | None = None
        self.usccs = [make_uscc("91", "230602", f"MB{i:06d}") for i in range(enterprises)]
        for month in range(1, months + 1):
            for i, uscc in enumerate(self.usccs):
                self._append(uscc, f"2026-{month:02d}", 5 + i % 40)

    def _append(self, uscc: str, period: str, count: int) -> None:
        stamp = START + timedelta(minutes=len(self.records))
        self.records.append(
            {
                "uscc": uscc,
                "period": period,
                "insured_count": str(count),
                "si_arrears": "0",
                "updated_at": stamp.strftime("%Y-%m-%dT%H:%M:%S"),
            }
        )

    def add(self, count: int) -> None:
        for k in range(count):
            self._append(self.usccs[k % len(self.usccs)], "2026-10", 50 + k)


class Handler(BaseHTTPRequestHandler):
    state: State

    def log_message(self, format, *args):
        return

    def _send(self, status: int, payload: dict) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/health":
            return self._send(200, {"ok": True})
        if url.path != "/records":
            return self._send(404, {"error": "not found"})
        query = parse_qs(url.query)
        since = (query.get("since") or [""])[0]
        try:
            page = max(1, int((query.get("page") or ["1"])[0]))
        except ValueError:
            return self._send(400, {"error": "bad page"})
        state = self.state
        with state.lock:
            if state.fail_next > 0 and (state.fail_page is None or state.fail_page == page):
                state.fail_next -= 1
                return self._send(500, {"error": "injected failure"})
            newer = [r for r in state.records if r["updated_at"] > since]
        start = (page - 1) * state.page_size
        items = newer[start : start + state.page_size]
        next_page = page + 1 if start + state.page_size < len(newer) else None
        return self._send(200, {"items": items, "next_page": next_page})

    def do_POST(self):
        if urlparse(self.path).path != "/_control":
            return self._send(404, {"error": "not found"})
        length = int(self.headers.get("Content-Length") or 0)
        try:
            command = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self._send(400, {"error": "bad json"})
        state = self.state
        with state.lock:
            if command.get("reset_failures"):
                state.fail_next, state.fail_page = 0, None
            if "fail_next" in command:
                state.fail_next = int(command["fail_next"])
            if "fail_page" in command:
                state.fail_page = command["fail_page"]
            if command.get("add"):
                state.add(int(command["add"]))
            total = len(state.records)
        return self._send(200, {"ok": True, "records": total})


def serve(port: int, *, enterprises: int = 20, months: int = 3, page_size: int = 25) -> None:
    handler = type("BoundHandler", (Handler,), {"state": State(enterprises, months, page_size)})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--enterprises", type=int, default=20)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--page-size", type=int, default=25)
    args = parser.parse_args(argv)
    serve(args.port, enterprises=args.enterprises, months=args.months, page_size=args.page_size)


if __name__ == "__main__":
    main()
