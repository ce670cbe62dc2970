"""Two builds of vhkeycheck, byte for byte: for work that must not change
behaviour (issue 11, the architecture).  Runs an old and a new vhkeycheck
over the oracle's corpus and every file under tests/data, in both modes
(paste and FILE) and both output forms (text and --json), and lists every
case where exit status, stdout or stderr differ.

    python3 tests/oracle/same_output.py WORKDIR OLD_VHKEYCHECK NEW_VHKEYCHECK

Each program is the real binary (tools/.libs/vhkeycheck), run with
LD_LIBRARY_PATH set to the directory of its own libvhkey.so (the
binary's directory, or its ../../lib/.libs).  WORKDIR is made anew; the
corpus in it is made once, so both builds see the same keys.  Needs what
the oracle needs (ssh-keygen, puttygen, openssl, python3-cryptography),
but no sshd.  Exit status 0 when every output is the same.
"""
import concurrent.futures
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

FORMS = (["--json", "-"], ["-"], ["--json", "case"], ["case"])


def libdir(prog):
    d = os.path.dirname(os.path.abspath(prog))
    for cand in (d, os.path.join(d, "..", "..", "lib", ".libs")):
        if any(n.startswith("libvhkey.so") for n in os.listdir(cand)):
            return os.path.abspath(cand)
    sys.exit(f"same_output.py: no libvhkey.so beside {prog}")


def run(prog, args, case_dir):
    env = dict(os.environ, LD_LIBRARY_PATH=libdir(prog), LC_ALL="C.UTF-8")
    env.pop("VHKEY_ROTATION", None)
    with open(os.path.join(case_dir, "case"), "rb") as f:
        p = subprocess.run([prog] + args, stdin=f, cwd=case_dir,
                           capture_output=True, timeout=120, env=env)
    return p.returncode, p.stdout, p.stderr


def one(case_dir, old, new):
    diffs = []
    for args in FORMS:
        a, b = run(old, args, case_dir), run(new, args, case_dir)
        if a != b:
            diffs.append((" ".join(args), a, b))
    return case_dir, diffs


def inputs(work, srcdir):
    tools = {"ssh-keygen": shutil.which("ssh-keygen"),
             "puttygen": shutil.which("puttygen"),
             "openssl": shutil.which("openssl")}
    keydir = os.path.join(work, "keys")
    os.mkdir(keydir, 0o700)
    _, cases = corpus.build(keydir, 10, tools)
    texts = [(c.name, c.text) for c in cases]
    data = os.path.join(srcdir, "tests", "data")
    for root, _, files in os.walk(data):
        for n in sorted(files):
            p = os.path.join(root, n)
            with open(p, "rb") as f:
                texts.append((os.path.relpath(p, srcdir), f.read()))
    dirs = []
    for i, (name, text) in enumerate(texts):
        d = os.path.join(work, "cases", f"{i:05d}")
        os.makedirs(d)
        fd = os.open(os.path.join(d, "case"),
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(text)
        with open(os.path.join(d, "name"), "w") as f:
            f.write(name + "\n")
        dirs.append(d)
    return dirs


def main():
    work, old, new = (os.path.abspath(a) for a in sys.argv[1:4])
    srcdir = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work, 0o700)
    dirs = inputs(work, srcdir)
    bad = 0
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        for d, diffs in ex.map(lambda d: one(d, old, new), dirs):
            for args, a, b in diffs:
                bad += 1
                with open(os.path.join(d, "name")) as f:
                    name = f.read().strip()
                print(f"DIFF {name} ({d}) vhkeycheck {args}:")
                print(f"  old: rc {a[0]} out {a[1][:300]!r} err {a[2][:300]!r}")
                print(f"  new: rc {b[0]} out {b[1][:300]!r} err {b[2][:300]!r}")
    print(f"same_output: {len(dirs)} inputs x {len(FORMS)} forms, "
          f"{bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
