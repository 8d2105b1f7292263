"""Outputs never harm a file: devices and pipes are streamed to, symlinks followed, inputs,
directories and block devices refused, permissions kept, and no temporary survives a signal,
a full disk or a file-size limit. Signals and closed pipes end with the shell's exit codes."""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest
from conftest import CONFIGS

LONG_RUN = ["run", "--epochs", "50000000", "--quiet", "--trace-epochs", "1"]  # far longer than any test waits


def nntrace(*args, **options) -> subprocess.CompletedProcess:
    """nntrace as a user runs it: a separate process, its own stdout and stderr."""
    return subprocess.run(
        [sys.executable, "-m", "nntrace", *args], capture_output=True, timeout=120, **{"env": plain_env(), **options}
    )


def plain_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "COLUMNS")}
    return {**env, **extra}


def started(*args, cwd) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nntrace", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=plain_env(),
    )


def wait_for_temporary(folder, process, seconds=30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(name.endswith(".tmp") for name in os.listdir(folder)):
            time.sleep(0.3)  # well inside the training loop
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the run never opened its temporary file")


def test_json_to_dev_null_leaves_the_device_alone(cli):
    result = cli("run", "--quiet", "--epochs", "2", "--json", "/dev/null")
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symlink_is_followed_and_its_target_replaced(cli, tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target.name)
    result = cli("run", "--quiet", "--epochs", "2", "--json", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert json.loads(target.read_text(encoding="utf-8"))["losses"][0] == pytest.approx(0.3541, abs=1e-4)
    assert sorted(os.listdir(tmp_path)) == ["link.json", "real.json"]


def test_a_named_pipe_is_streamed_to_not_replaced(tmp_path):
    fifo = tmp_path / "trace.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    result = nntrace("run", "--quiet", "--epochs", "2", "--json", str(fifo))
    reader.join(30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(received[0])["format"] == "nntrace-trace/2"


@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_json_to_stdout_carries_only_the_trace(target):
    result = nntrace("run", "--epochs", "3", "--json", target)
    assert result.returncode == 0, result.stderr
    assert [record["epoch"] for record in json.loads(result.stdout)["records"]] == [1, 2, 3]


def test_a_directory_is_refused_before_training(cli, tmp_path):
    result = cli("run", "--epochs", "5", "--json", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.stderr and "fix:" in result.stderr
    assert result.stdout == ""
    result = cli("run", "--epochs", "5", "--plot", str(tmp_path))
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert os.listdir(tmp_path) == []


def test_the_runs_own_spec_and_csv_are_never_written_over(cli, tmp_path):
    spec = tmp_path / "my.yaml"
    text = (CONFIGS / "paper.yaml").read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")
    result = cli("run", str(spec), "--json", str(spec))
    assert result.exit_code == 2 and "this run's own input" in result.stderr
    assert spec.read_text(encoding="utf-8") == text
    for name in ("biomarker-xor.yaml", "biomarker-xor.csv"):
        (tmp_path / name).write_bytes((CONFIGS / name).read_bytes())
    csv = tmp_path / "biomarker-xor.csv"
    result = cli("run", str(tmp_path / "biomarker-xor.yaml"), "--epochs", "2", "--json", str(csv))
    assert result.exit_code == 2 and "own input" in result.stderr
    assert csv.read_bytes() == (CONFIGS / "biomarker-xor.csv").read_bytes()


def test_replacing_a_file_keeps_its_permissions(cli, tmp_path):
    path = tmp_path / "trace.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    assert cli("run", "--quiet", "--epochs", "2", "--json", str(path)).exit_code == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert path.read_text(encoding="utf-8").startswith('{"format"')


def test_a_new_file_gets_the_umasks_permissions(cli, tmp_path):
    path = tmp_path / "trace.json"
    assert cli("run", "--quiet", "--epochs", "2", "--json", str(path)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~mask


def test_a_full_disk_leaves_no_temporary_and_exits_2(cli, tmp_path, monkeypatch):
    from nntrace.engine import trace_json as export
    def full(self, record):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export.TraceWriter, "write", full)
    path = tmp_path / "trace.json"
    result = cli("run", "--quiet", "--epochs", "2", "--json", str(path))
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert os.listdir(tmp_path) == []


def test_a_file_size_limit_leaves_no_temporary_and_exits_2(tmp_path):
    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = nntrace(
        "run", "--quiet", "--epochs", "200", "--json", "trace.json", cwd=tmp_path, preexec_fn=limit_file_size
    )
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr and b"File too large" in result.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_terminated_run_removes_its_temporary(tmp_path, signum, code):
    process = started(*LONG_RUN, "--json", "trace.json", cwd=tmp_path)
    wait_for_temporary(tmp_path, process)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    assert b"Traceback" not in stderr
    assert os.listdir(tmp_path) == []


def test_ctrl_c_summarises_the_epochs_done_removes_temporaries_and_exits_130(tmp_path):
    process = started(*LONG_RUN, "--json", "trace.json", cwd=tmp_path)
    wait_for_temporary(tmp_path, process)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert b"Training summary" in stdout and b"(stopped early)" in stdout
    assert b"interrupted after" in stderr and b"Traceback" not in stderr
    assert os.listdir(tmp_path) == []


def test_a_closed_pipe_exits_141_quietly():
    process = subprocess.Popen(
        [sys.executable, "-m", "nntrace", "run", "--epochs", "300", "--show", "all"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=plain_env(),
    )
    process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert stderr == b""


def test_writing_to_a_full_device_is_one_line_and_exit_2():
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "nntrace", "run"], stdout=full, stderr=subprocess.PIPE, env=plain_env(), timeout=60
        )
    assert result.returncode == 2
    assert result.stderr.decode().strip().splitlines() == [
        "nntrace: error: cannot write the output: No space left on device"
    ]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_an_output_that_cannot_carry_the_symbols_gets_ascii_stand_ins(encoding):
    result = nntrace("run", "--expand", env=plain_env(PYTHONIOENCODING=encoding))
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("ascii")  # every byte is ASCII
    assert "H_out = sigma(H_in)" in text
    assert "[1.480 1.780 1.100]" in text
    assert "W_out <- W_out + eta . H_out^T . delta_out" in text
    # matrices stay aligned: the bracket columns line up on every row of X
    rows = [line for line in text.splitlines() if line.strip().startswith(("X = [", "[1 0 1", "[0 1 0 1"))]
    assert len({line.index("[") for line in rows[:3]}) == 1
