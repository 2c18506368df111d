"""Failure handling against fake servers made here: no quoted needed.

A listener that never accepts (the kernel completes the handshake, nobody answers), a
server that answers HELLO and then goes silent, one that sends garbage, one that sends an
unsolicited fatal ERROR, and a port nobody listens on.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from typing import Callable, Iterator

import pytest

from quotearchive import (
    ClientConnectionError,
    ClientTimeoutError,
    Client,
    FatalServerError,
    ProtocolError,
)
from quotearchive import codec


@pytest.fixture
def silent_listener() -> Iterator[int]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # never accepted, never answered
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def test_connect_to_a_server_that_never_answers_times_out(silent_listener: int) -> None:
    started = time.monotonic()
    with pytest.raises(ClientTimeoutError) as caught:
        Client("127.0.0.1", silent_listener, timeout=0.5)
    elapsed = time.monotonic() - started
    assert 0.4 <= elapsed < 3.0
    assert isinstance(caught.value, TimeoutError) and isinstance(caught.value, ClientConnectionError)


def test_nobody_listening_is_a_connection_error() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(ClientConnectionError) as caught:
        Client("127.0.0.1", port, timeout=2.0)
    assert isinstance(caught.value, ConnectionError)


Behaviour = Callable[[socket.socket], None]


def fake_server(behaviour: Behaviour) -> Iterator[int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(10)
    done = threading.Event()

    def serve() -> None:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(10)
            try:
                behaviour(connection)
            except OSError:
                pass
            done.wait(10)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        done.set()
        listener.close()
        thread.join(10)


def read_frame(connection: socket.socket) -> codec.Frame:
    header = b""
    while len(header) < 4:
        header += connection.recv(4 - len(header))
    length = struct.unpack(">I", header)[0]
    body = b""
    while len(body) < length:
        body += connection.recv(length - len(body))
    return codec.decode_frame(header + body)


def answer_hello(connection: socket.socket) -> None:
    frame = read_frame(connection)
    assert frame.opcode == codec.HELLO and frame.request_id == 1
    hello = codec.decode_message(frame.opcode, frame.payload)
    assert hello == codec.Hello("quotearchive-python/0.1")
    reply = codec.HelloOk(codec.PROTOCOL_VERSION, 42, "fake/0", 1048576)
    connection.sendall(codec.encode_message_frame(reply, frame.request_id))


def test_silence_after_hello_times_out_and_closes() -> None:
    for port in fake_server(answer_hello):
        client = Client("127.0.0.1", port, timeout=0.5)
        assert client.server.server_name == "fake/0"
        started = time.monotonic()
        with pytest.raises(ClientTimeoutError):
            client.ping()
        assert time.monotonic() - started < 3.0
        assert client.closed
        with pytest.raises(ClientConnectionError):
            client.stats()


def test_garbage_is_a_protocol_error() -> None:
    def garbage(connection: socket.socket) -> None:
        answer_hello(connection)
        frame = read_frame(connection)
        connection.sendall(codec.encode_frame(codec.PING_OK, frame.request_id, b"\x00\x00\x00\x09short"))

    for port in fake_server(garbage):
        client = Client("127.0.0.1", port, timeout=2)
        with pytest.raises(ProtocolError):
            client.ping()
        assert client.closed


def test_wrong_request_id_is_a_protocol_error() -> None:
    def wrong_id(connection: socket.socket) -> None:
        answer_hello(connection)
        frame = read_frame(connection)
        connection.sendall(codec.encode_frame(codec.PING_OK, frame.request_id + 100, frame.payload))

    for port in fake_server(wrong_id):
        client = Client("127.0.0.1", port, timeout=2)
        with pytest.raises(ProtocolError):
            client.ping()


def test_unsolicited_fatal_error_under_request_id_zero() -> None:
    def idle_timeout(connection: socket.socket) -> None:
        answer_hello(connection)
        read_frame(connection)
        connection.sendall(codec.encode_message_frame(codec.Error(106, "idle for 300 s"), 0))
        connection.close()

    for port in fake_server(idle_timeout):
        client = Client("127.0.0.1", port, timeout=2)
        with pytest.raises(FatalServerError) as caught:
            client.ping()
        assert caught.value.code == 106 and caught.value.name == "idle_timeout" and caught.value.fatal
        assert client.closed


def test_handshake_refused() -> None:
    def refuse(connection: socket.socket) -> None:
        frame = read_frame(connection)
        connection.sendall(codec.encode_message_frame(codec.Error(100, "no common version"), frame.request_id))
        connection.close()

    for port in fake_server(refuse):
        with pytest.raises(FatalServerError) as caught:
            Client("127.0.0.1", port, timeout=2)
        assert caught.value.name == "unsupported_version"


def test_connection_closed_mid_response() -> None:
    def half(connection: socket.socket) -> None:
        answer_hello(connection)
        frame = read_frame(connection)
        connection.sendall(codec.encode_frame(codec.PING_OK, frame.request_id, frame.payload)[:7])
        connection.close()

    for port in fake_server(half):
        client = Client("127.0.0.1", port, timeout=2)
        with pytest.raises(ClientConnectionError):
            client.ping()
