"""Paste mode against FILE mode on private key material: every private
and public-then-private text of the oracle's corpus (corpus.py), given to
`vhkeycheck --json -` and to `vhkeycheck --json FILE`, and a table of
where one says private_key and the other does not.  A tool for work on
the detectors, not a test: the oracle (judge.py) is the test.

Usage: modes.py [VHKEYCHECK]  (SSH_KEYGEN, PUTTYGEN, OPENSSL from the
environment or the PATH; VHKEY_ORACLE_SEED as for the oracle)

FILE mode's outcome is one of:
  private_key   every report says private_key, but for a public key
                line before the material (accepted, or weak)
  key_file      the private key file check (lib/perm.c) spoke: fit for
                ssh, or damaged with a fix; another question than paste's
  other:R,...   some line refused for another reason, R
"""

import collections
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

import corpus


def tool(name, env):
    return os.environ.get(env) or shutil.which(name) or \
        sys.exit(f"modes.py: {name} not found")


def run(vhkeycheck, args, stdin):
    with open(stdin or os.devnull, "rb") as f:
        p = subprocess.run([vhkeycheck, "--json"] + args, stdin=f,
                           capture_output=True, timeout=60)
    return [json.loads(l) for l in p.stdout.decode().splitlines() if l]


def paste_outcome(objs):
    if len(objs) != 1:
        return f"{len(objs)} reports"
    return objs[0].get("reason") or objs[0].get("verdict")


def file_outcome(objs):
    if len(objs) == 1 and objs[0].get("line") is None and \
            objs[0].get("reason") != "private_key":
        return "key_file"
    # a public key line before the material has a verdict of its own
    objs = [o for o in objs if o.get("type") is None]
    other = sorted({o.get("reason") for o in objs
                    if o.get("reason") != "private_key"})
    if other:
        return "other:" + ",".join(other)
    return "private_key" if any(o.get("reason") == "private_key"
                                for o in objs) else "accepted"


def shape(case):
    """fmt/damage, the key left out: what a row of the table counts."""
    kind = case.name.split("/", 1)[1]
    return kind.split("#")[0]


def main():
    vhkeycheck = sys.argv[1] if len(sys.argv) > 1 else "vhkeycheck"
    tools = {"ssh-keygen": tool("ssh-keygen", "SSH_KEYGEN"),
             "puttygen": tool("puttygen", "PUTTYGEN"),
             "openssl": tool("openssl", "OPENSSL")}
    seed = int(os.environ.get("VHKEY_ORACLE_SEED", "10"))
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o700)
        rng = random.Random(seed)
        mk = corpus.Maker(tmp, rng, tools)
        keys = corpus.make_keys(mk)
        ptexts = corpus.private_texts(mk, keys)
        cases = corpus.private_cases(ptexts, rng) + \
            corpus.disguised_private_cases(ptexts) + \
            corpus.pubpriv_cases(ptexts)
        rows = collections.Counter()
        gaps = []
        path = os.path.join(tmp, "case")
        for c in cases:
            with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                              0o600), "wb") as f:
                f.write(c.text)
            p = paste_outcome(run(vhkeycheck, ["-"], path))
            f = file_outcome(run(vhkeycheck, [path], None))
            agree = (p == "private_key") == (f == "private_key") or \
                f == "key_file"
            rows[(shape(c), p, f, agree)] += 1
            if not agree:
                gaps.append(f"{c.name}: paste {p}, file {f}")
    total = collections.Counter()
    print(f"{'shape':40} {'paste':12} {'file':28} n")
    for (s, p, f, agree), n in sorted(rows.items()):
        total[agree] += n
        if not agree:
            print(f"{s:40} {p:12} {f:28} {n}")
    print(f"agree {total[True]}, disagree {total[False]}")
    for g in gaps:
        print("  " + g)
    return 1 if total[False] else 0


if __name__ == "__main__":
    sys.exit(main())
