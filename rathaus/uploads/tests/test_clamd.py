"""Virus scanning with a real clamd, started by the test with a signature database the test makes itself.

ClamAV's own signatures cannot be downloaded here, so `sigtool --md5` makes hash signatures of the EICAR test
file and of a PDF that carries the EICAR string. A machine without clamd fails these tests (it never skips
them): install the Debian package clamav-daemon (.ci/run does).
"""

from __future__ import annotations

import io
import logging
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rathaus.testing import samples
from rathaus.uploads.models import Upload
from rathaus.uploads.scanners import ScannerUnavailable, plugin
from rathaus.uploads.services import UploadRejected, UploadRule, upload_accept

from .conftest import stored_files, upload_file

pytestmark = pytest.mark.clamav

RULE = UploadRule(document_id="nachweis", accept=("application/pdf", "image/png"), max_size_mb=5)
STREAM_MAX = 1024 * 1024  # clamd's StreamMaxLength in this test, to see its refusal
INFECTED_PDF = samples.pdf(content=b"BT (" + samples.EICAR + b") Tj ET")


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(Path(folder) / name) for folder in ("/usr/sbin", "/usr/bin") if (Path(folder) / name).exists()), None
    )
    if found is None:
        pytest.fail(f"{name} is missing: install ClamAV with `apt-get install clamav-daemon` (see .ci/run)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Clamd:
    socket: str
    port: int


@pytest.fixture(scope="session")
def clamd(tmp_path_factory) -> Iterator[Clamd]:
    clamd_binary, sigtool = _tool("clamd"), _tool("sigtool")
    folder = tmp_path_factory.mktemp("clamd")
    database = folder / "db"
    database.mkdir()
    (folder / "eicar.txt").write_bytes(samples.EICAR)
    (folder / "eicar.pdf").write_bytes(INFECTED_PDF)
    signatures = "".join(
        subprocess.run([sigtool, "--md5", name], cwd=folder, check=True, capture_output=True, text=True).stdout
        for name in ("eicar.txt", "eicar.pdf")
    )
    (database / "test.hdb").write_text(signatures)
    port = _free_port()
    sock = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"LocalSocket {sock}",
                f"TCPSocket {port}",
                "TCPAddr 127.0.0.1",
                f"DatabaseDirectory {database}",
                f"PidFile {folder / 'clamd.pid'}",
                f"TemporaryDirectory {folder}",
                "Foreground yes",
                "LogSyslog no",
                f"LogFile {folder / 'clamd.log'}",
                f"StreamMaxLength {STREAM_MAX}",
                "SelfCheck 0",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [clamd_binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        scanner = plugin("clamd").from_options({"socket": str(sock), "timeout": 5})
        deadline = time.monotonic() + 60
        while not scanner.ping():
            if process.poll() is not None:
                pytest.fail(f"clamd stopped at start: {process.stderr.read() if process.stderr else ''}")
            if time.monotonic() > deadline:
                pytest.fail("clamd did not answer within 60 seconds")
            time.sleep(0.1)
        yield Clamd(socket=str(sock), port=port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


@pytest.fixture(params=["socket", "tcp"])
def clamd_settings(request, clamd, settings) -> dict:
    options = {"socket": clamd.socket} if request.param == "socket" else {"host": "127.0.0.1", "port": clamd.port}
    settings.RATHAUS_CLAMD = {**options, "timeout": 10}
    return settings.RATHAUS_CLAMD


def test_the_client_speaks_instream_over_both_transports(clamd_settings):
    scanner = plugin("clamd").from_options(clamd_settings)
    assert scanner.ping()

    found = scanner.scan(io.BytesIO(samples.EICAR))
    assert found.infected
    assert "eicar" in found.signature.lower()

    assert not scanner.scan(io.BytesIO(b"Hallo Rathaus")).infected
    # Several chunks (64 KiB each) end with the terminating zero-length chunk.
    assert not scanner.scan(io.BytesIO(samples.pdf(padding=300_000))).infected
    assert scanner.scan(io.BytesIO(INFECTED_PDF)).infected


def test_an_infected_file_is_refused_and_logged(clamd_settings, musterstadt, media_root, upload_log):
    with pytest.raises(UploadRejected) as raised:
        upload_accept(
            file=upload_file(INFECTED_PDF, "rechnung.pdf"),
            rule=RULE,
            municipality=musterstadt,
            owner=None,
            session_key="gast",
        )

    assert raised.value.reason == UploadRejected.Reason.INFECTED
    assert "virus" in str(raised.value).lower()
    assert stored_files(media_root) == []
    assert not Upload.objects.exists()
    assert any("infected upload refused" in m and "eicar" in m for m in upload_log.messages(logging.WARNING))


def test_a_clean_file_passes_and_is_marked_clean(clamd_settings, erika, musterstadt, media_root):
    content = samples.pdf()
    upload = upload_accept(file=upload_file(content), rule=RULE, municipality=musterstadt, owner=erika, session_key="")
    assert upload.scan_status == Upload.ScanStatus.CLEAN
    [stored] = stored_files(media_root)
    assert stored.read_bytes() == content


def test_a_file_clamd_will_not_scan_is_refused_not_stored_unchecked(
    clamd_settings, musterstadt, media_root, upload_log
):
    too_long_for_clamd = samples.pdf(padding=2 * STREAM_MAX)
    with pytest.raises(UploadRejected) as raised:
        upload_accept(
            file=upload_file(too_long_for_clamd), rule=RULE, municipality=musterstadt, owner=None, session_key="gast"
        )
    assert raised.value.reason == UploadRejected.Reason.SCANNER_UNAVAILABLE
    assert stored_files(media_root) == []
    assert any("size limit exceeded" in m for m in upload_log.messages(logging.ERROR))


def test_a_scanner_that_hangs_up_gives_no_verdict(tmp_path):
    # A server that accepts the connection and closes it without an answer: not "clean", but unavailable.
    path = tmp_path / "mute.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen(1)
        scanner = plugin("clamd").from_options({"socket": str(path), "timeout": 2})

        def hang_up() -> None:
            connection, _ = server.accept()
            connection.recv(16)
            connection.close()

        thread = threading.Thread(target=hang_up)
        thread.start()
        with pytest.raises(ScannerUnavailable):
            scanner.scan(io.BytesIO(b"data"))
        thread.join()
