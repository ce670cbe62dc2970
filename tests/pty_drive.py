#!/usr/bin/env python3
"""pty_drive.py - run a command on a pseudo-terminal and answer its prompts.

    pty_drive.py TRANSCRIPT PROMPT ANSWER [PROMPT ANSWER ...] -- CMD [ARG...]

Each PROMPT is waited for (10 s at most) in what the command writes to the
terminal, then ANSWER and a newline are typed.  Everything the terminal
showed is written to TRANSCRIPT, so a test can check that no answer was
echoed.  Exits with the command's status (124 when a prompt never came).
"""
import os
import pty
import select
import sys
import time


def main():
    args = sys.argv[1:]
    sep = args.index("--")
    transcript, pairs, cmd = args[0], args[1:sep], args[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen = b""

    def read_some(deadline):
        nonlocal seen
        r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
        if not r:
            return False
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return None
        if not chunk:
            return None
        seen += chunk
        return True

    status = None
    pos = 0
    for i in range(0, len(pairs), 2):
        prompt, answer = pairs[i].encode(), pairs[i + 1].encode()
        deadline = time.time() + 10
        while seen.find(prompt, pos) < 0:
            got = read_some(deadline)
            if got is None or (got is False and time.time() >= deadline):
                status = 124
                break
        if status is not None:
            break
        pos = seen.find(prompt, pos) + len(prompt)
        os.write(fd, answer + b"\n")
    deadline = time.time() + 60
    while read_some(deadline):
        pass
    if status is not None:
        os.kill(pid, 9)
    _, st = os.waitpid(pid, 0)
    with open(transcript, "wb") as f:
        f.write(seen)
    if status is None:
        status = os.waitstatus_to_exitcode(st)
    sys.exit(status if status >= 0 else 128 - status)


main()
