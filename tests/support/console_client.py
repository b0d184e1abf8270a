"""A client of the agents' console API, as a shop's script or the tests would write it (``requests``)."""

from __future__ import annotations

import json
import threading
from typing import Any, Dict, List, Optional

import requests


class ConsoleClient:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.http = requests.Session()
        self.csrf: Optional[str] = None
        self.agent: Optional[Dict[str, Any]] = None

    def login(self, name: str, password: str) -> requests.Response:
        response = self.http.post(f"{self.url}/api/login", json={"username": name, "password": password}, timeout=30)
        if response.status_code == 200:
            self.csrf = response.json()["csrf_token"]
            self.agent = response.json()["agent"]
        return response

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(f"{self.url}{path}", params=params, timeout=30)

    def post(self, path: str, body: Any = None, csrf: bool = True, **kwargs: Any) -> requests.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf and self.csrf else {}
        if "data" in kwargs:
            return self.http.post(f"{self.url}{path}", headers={**headers, "Content-Type": "application/json"},
                                  timeout=30, **kwargs)
        return self.http.post(f"{self.url}{path}", json={} if body is None else body, headers=headers, timeout=30)

    def put(self, path: str, body: Any) -> requests.Response:
        return self.http.put(f"{self.url}{path}", json=body, headers={"X-CSRF-Token": self.csrf or ""}, timeout=30)


class EventStream:
    """Reads ``GET /api/stream`` in a thread and keeps the events (name, data) it saw."""

    def __init__(self, client: ConsoleClient) -> None:
        self.events: List[tuple] = []
        self.error: Optional[Exception] = None
        self._response = client.http.get(f"{client.url}/api/stream", stream=True, timeout=(10, 60))
        self._response.raise_for_status()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise TimeoutError("the console's stream sent no ready event")

    def _lines(self):
        """Lines of the stream as they arrive (split on \n only: str.splitlines would also split on U+2028)."""
        buffer = b""
        for chunk in self._response.iter_content(chunk_size=None):
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                yield line.rstrip(b"\r").decode("utf-8")

    def _read(self) -> None:
        event, data = None, []
        try:
            for raw in self._lines():
                if raw == "":
                    if event == "ready":
                        self._ready.set()
                    elif event:
                        self.events.append((event, json.loads("\n".join(data))))
                    event, data = None, []
                elif raw.startswith("event:"):
                    event = raw[6:].strip()
                elif raw.startswith("data:"):
                    data.append(raw[5:].lstrip())
        except Exception as error:  # the stream ended (closed by the test, or the server went away)
            self.error = error

    def of(self, name: str, conversation_id: str) -> List[Dict[str, Any]]:
        return [data for event, data in list(self.events) if event == name and data.get("id") == conversation_id]

    def close(self) -> None:
        self._response.close()
