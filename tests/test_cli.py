"""The command line: templates."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_template_command_writes_chinese_headers(tmp_path):
    out = tmp_path / "t.csv"
    subprocess.run([sys.executable, "-m", "geo", "template", "compound_status", "--out", str(out)],
                   cwd=ROOT, check=True)
    assert out.read_text(encoding="utf-8-sig").startswith("小区编号,小区名称,日期,封闭状态")


def test_unknown_kind_is_refused_with_usage():
    result = subprocess.run([sys.executable, "-m", "geo", "template", "nope"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice" in result.stderr
