"""The pictures in the README and docs/, made from a real run so that they never go stale: the scripted demo
(`make demo-scripted`: the smoke suite, the oracle beside a scripted model over loopback HTTP, with the example
prices) run into a scratch folder, its HTML report and `pertask view` opened in headless Chromium, and screenshots
saved.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]      (default docs/img; needs chromium and chromedriver)

Writes cost-accuracy.png (the report's cost–accuracy plot), report.png (the report's first screen) and viewer.png
(a run in `pertask view`, its samples listed).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--hide-scrollbars"):
        opts.add_argument(arg)
    opts.binary_location = shutil.which("chromium")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)


def main(out: Path) -> list[Path]:
    from selenium.webdriver.common.by import By

    from harness.cli import main as pertask
    from results.viewer_server import serve_viewer

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        runs = Path(tmp) / "runs"
        run = runs / "smoke-demo"
        code = pertask(["run", "--suite", "smoke", "--model", "oracle", "--model",
                        f"scripted:{ROOT / 'examples' / 'scripted-smoke.json'}#label=scripted-demo", "--prices",
                        str(ROOT / "examples" / "scripted-prices.toml"), "--epochs", "2", "--out", str(run)])
        if code != 0 or pertask(["report", str(run), "--html", str(Path(tmp) / "report.html")]) != 0:
            raise SystemExit("the demo run or its report failed")
        server = serve_viewer(runs, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        driver = browser()
        try:
            driver.get((Path(tmp) / "report.html").as_uri())
            driver.save_screenshot(str(out / "report.png"))
            driver.find_element(By.ID, "cost-accuracy").screenshot(str(out / "cost-accuracy.png"))
            driver.get(f"http://127.0.0.1:{server.server_address[1]}/#{run.name}")
            time.sleep(1.5)  # the viewer fetches the run's summary and samples
            driver.save_screenshot(str(out / "viewer.png"))
        finally:
            driver.quit()
            server.shutdown()
    return [out / n for n in ("cost-accuracy.png", "report.png", "viewer.png")]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img"):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
