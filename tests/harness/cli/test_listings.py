"""Every listing a newcomer meets first reads at 80, 100, 120 and 200 columns (piped, as `$COLUMNS` says): no line
passes the width, and the names and addresses one copies out of them stay whole on one line."""

from __future__ import annotations

import pytest

LISTINGS = [
    (("tasks", "list", "--suite", "smoke"), ["add-slugify", "budget-reconcile", "meeting-actions"]),
    (("providers",), ["https://api.z.ai/api/anthropic/v1", "ZAI_API_KEY", "zai-anthropic"]),
    (("prices", "--hardware"), ["NVIDIA H100 SXM5 80GB", "h200", "ascend910b"]),
    (("datasets", "list"), ["terminal-bench@2.0", "swe-bench-verified"]),
    (("claims",), ["https://artificialanalysis.ai/articles/aa-briefcase"]),
]


@pytest.mark.parametrize("columns", [80, 100, 120, 200])
def test_every_listing_fits_its_width_with_its_names_whole(cli, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    for args, whole in LISTINGS:
        code, out, err = cli(*args)
        assert code == 0, (args, err)
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= columns, (args, out)
        for name in whole:
            assert any(name in line for line in lines), (args, name, out)
