"""A loopback HTTP server that misbehaves on purpose, for the adapters' failure tests.

It picks its misbehaviour from the first path segment of the request: ``/hang/...`` never
answers, ``/reset/...`` resets the connection, any other segment names a canned answer.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager


def answer(status: str, body: bytes, media: str = "application/json") -> bytes:
    """A whole HTTP/1.1 response.

    ``Connection: close``, because the server closes the socket after one answer: without it a
    retry may reuse the closed connection and report a disconnect instead of the status.
    """
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {media}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, answers: Mapping[str, bytes], hits: dict[str, int]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers, self.hits = answers, hits


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65536)
            if not chunk:
                return
            data += chunk
        mode = data.split(b" ", 2)[1].decode().split("/")[1]
        self.server.hits[mode] = self.server.hits.get(mode, 0) + 1
        if mode == "hang":
            while self.request.recv(65536):  # the body, then nothing until the client gives up
                pass
            return
        if mode == "reset":
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        self.request.sendall(self.server.answers[mode])


@contextmanager
def misbehaving_server(answers: Mapping[str, bytes], hits: dict[str, int]) -> Iterator[str]:
    """Serve ``answers`` on a free loopback port, counting requests per mode in ``hits``."""
    with _Server(answers, hits) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
