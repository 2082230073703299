#!/usr/bin/env python3
"""Pseudo-terminal bridge for the pack's virtual boards (python3 standard library only).

Creates a pty pair and behaves like the device end of a serial cable:
  * stdin bytes are written to the pty master ONLY while someone has the slave side open
    (otherwise dropped, as a real board talking to nobody);
  * bytes the host writes to the slave are reported on stdout;
  * opening/closing of the slave side is detected through POLLHUP on the master (Linux sets
    it while no slave descriptor is open) and reported.
stdout carries one JSON object per line:
  {"event":"ready","path":"/dev/pts/N","link":"/x/dev/b"|null,"pid":N}
  {"event":"open"} / {"event":"close"}
  {"event":"data","hex":"..."}           bytes written by the host
  {"event":"dropped","bytes":N}          device output lost (nobody listening / host too slow)
  {"event":"error","message":"..."}
Exits cleanly (removing its link) on stdin EOF, SIGTERM or SIGINT.
"""
import argparse
import errno
import json
import os
import select
import signal
import sys
import termios
import tty

# Bytes buffered towards the host while it is slow to read: a real UART FIFO is tiny; this
# only absorbs scheduling jitter. Anything beyond is dropped and reported.
MAX_PENDING = 64 * 1024
# While nobody has the slave open, POLLHUP is level-triggered: re-check at this period instead of spinning.
CLOSED_POLL_MS = 10


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Stop(Exception):
    pass


def on_signal(_signum, _frame):
    raise Stop()


def make_link(link, target):
    # A stale symlink from a crashed run is replaced; anything else at that path is refused.
    if os.path.lexists(link):
        if not os.path.islink(link):
            raise SystemExit("pty-bridge: refusing to replace %s: it exists and is not a symlink" % link)
        os.unlink(link)
    parent = os.path.dirname(link)
    if parent:
        os.makedirs(parent, exist_ok=True)
    os.symlink(target, link)


def remove_link(link, target):
    try:
        if link and os.path.islink(link) and os.readlink(link) == target:
            os.unlink(link)
    except OSError:
        pass


def main():
    parser = argparse.ArgumentParser(description="pty bridge for virtual boards")
    parser.add_argument("--link", help="create a symlink to the slave at this path")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    master, slave = os.openpty()
    tty.setraw(slave)
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    slave_path = os.ttyname(slave)
    # Close our own slave descriptor so POLLHUP on the master tells whether a host has it open.
    os.close(slave)
    os.set_blocking(master, False)
    stdin_fd = sys.stdin.fileno()
    os.set_blocking(stdin_fd, False)

    link = args.link
    if link:
        make_link(link, slave_path)
    emit({"event": "ready", "path": slave_path, "link": link, "pid": os.getpid()})

    is_open = False
    pending = bytearray()
    dropped = 0
    stdin_open = True
    try:
        while stdin_open:
            poller = select.poll()
            poller.register(stdin_fd, select.POLLIN)
            if is_open:
                poller.register(master, select.POLLIN | (select.POLLOUT if pending else 0))
            # While closed the master is not polled (POLLHUP is level-triggered and would spin):
            # it is probed every CLOSED_POLL_MS instead.
            for fd, ev in poller.poll(1000 if is_open else CLOSED_POLL_MS):
                if fd == master:
                    if ev & select.POLLIN:
                        data = read_some(master)
                        if data:
                            emit({"event": "data", "hex": data.hex()})
                    if (ev & select.POLLOUT) and pending and not (ev & select.POLLHUP):
                        try:
                            n = os.write(master, bytes(pending))
                            del pending[:n]
                        except OSError as e:
                            if e.errno not in (errno.EAGAIN, errno.EIO):
                                raise
                elif fd == stdin_fd:
                    try:
                        data = os.read(stdin_fd, 65536)
                    except BlockingIOError:
                        data = None
                    if data == b"":
                        stdin_open = False
                    elif data:
                        if is_open:
                            room = MAX_PENDING - len(pending)
                            pending += data[:room]
                            dropped += max(0, len(data) - room)
            now_open = probe_open(master)
            if now_open != is_open:
                is_open = now_open
                if not is_open:
                    pending.clear()
                    # Drop what the host did not read, as an unplugged cable would.
                    try:
                        termios.tcflush(master, termios.TCIOFLUSH)
                    except termios.error:
                        pass
                emit({"event": "open" if is_open else "close"})
            if dropped and is_open:
                emit({"event": "dropped", "bytes": dropped})
                dropped = 0
    except Stop:
        pass
    finally:
        remove_link(link, slave_path)
        try:
            os.close(master)
        except OSError:
            pass


def read_some(fd):
    try:
        return os.read(fd, 4096)
    except OSError as e:
        if e.errno in (errno.EAGAIN, errno.EIO):
            return b""
        raise


def probe_open(master):
    """True when no POLLHUP is pending on the master, i.e. some process has the slave open."""
    p = select.poll()
    p.register(master, select.POLLIN)
    for _fd, ev in p.poll(0):
        if ev & select.POLLHUP:
            return False
    return True


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
