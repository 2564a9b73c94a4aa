import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(os.getcwd()) / "scripts" / "backup.sh"
PATTERN = re.compile(r"^stock-\d{8}T\d{6}Z\.db$")


def _db(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    c = sqlite3.connect(path)
    c.execute("CREATE TABLE t (x)")
    c.execute("INSERT INTO t VALUES (42)")
    c.commit()
    c.close()
    return path


def _run(*args):
    return subprocess.run(["bash", str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=60)


def _backups(dest: Path):
    return sorted(p.name for p in dest.iterdir() if PATTERN.match(p.name))


def test_spaces_in_paths(tmp_path):
    db = _db(tmp_path / "my data" / "stock.db")
    dest = tmp_path / "Shared Backups" / "nightly"
    r = _run(db, dest, 3)
    assert r.returncode == 0, r.stderr
    names = _backups(dest)
    assert len(names) == 1
    copy = sqlite3.connect(dest / names[0])
    assert copy.execute("SELECT x FROM t").fetchone() == (42,)


def test_rotation_keeps_newest(tmp_path):
    db = _db(tmp_path / "stock.db")
    dest = tmp_path / "backups dir"
    dest.mkdir()
    old = [f"stock-2020010{d}T000000Z.db" for d in range(1, 7)]
    for name in old:
        (dest / name).write_text("old")
    (dest / "notes.txt").write_text("keep me")
    (dest / "other-20200101T000000Z.db").write_text("not ours")
    r = _run(db, dest, 3)
    assert r.returncode == 0, r.stderr
    names = _backups(dest)
    assert len(names) == 3
    assert names[:2] == ["stock-20200105T000000Z.db", "stock-20200106T000000Z.db"]
    assert not names[2].startswith("stock-2020")
    assert (dest / "notes.txt").exists() and (dest / "other-20200101T000000Z.db").exists()


def test_default_keep_is_seven(tmp_path):
    db = _db(tmp_path / "stock.db")
    dest = tmp_path / "b"
    dest.mkdir()
    for d in range(1, 10):
        (dest / f"stock-202001{d:02d}T000000Z.db").write_text("old")
    assert _run(db, dest).returncode == 0
    names = _backups(dest)
    assert len(names) == 7 and "stock-20200109T000000Z.db" in names and "stock-20200103T000000Z.db" not in names


def test_missing_db_fails_cleanly(tmp_path):
    r = _run(tmp_path / "nope.db", tmp_path / "b")
    assert r.returncode != 0 and "no database" in r.stderr
