"""How heavy and how fast is the model playground in a browser? Prints measured figures; not run by the tests.

A page laid out as the static book's (the explorers' modules, the zoo's exported models) opens in
headless Chromium (/usr/bin/chromium), over http from 127.0.0.1 and from the disk (file://), with
every other request refused. It prints

1. the size of the exported weights: playground.bin (fetched over http) and playground.data.js
   (the same bytes in base64, loaded by pages opened from the disk);
2. the page's load time: from navigation until the playground has rendered with every model
   loaded (median of --loads page loads, each in a fresh page);
3. per model, in the page: the time of one logProb (mean over --digits test digits, after one
   warm-up pass) and of one sample(seed) (mean over --samples seeds); and NADE's completion of
   the bottom half with 32 importance-resampling draws.

Usage: python benchmarks/playground_speed.py [--digits 100] [--samples 20] [--loads 3] [--screenshot PATH]

Timings on a shared machine are noisy: compare figures from one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
import explorers_static  # noqa: E402

from mlebook import zoo  # noqa: E402
from mlebook.explorers import playground  # noqa: E402
from tests.browser_tools import CHROMIUM, OfflinePage, serve, wait_for_explorers  # noqa: E402

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>playground</title>
<link rel="stylesheet" href="_static/mlebook-explorers/explorers.css">
<script defer src="_static/mlebook-explorers/loader.js"></script></head><body>{body}</body></html>"""

TIMING_JS = """([digits, seeds]) => {
  const result = {};
  for (const [name, model] of Object.entries(window.mlebook.models)) {
    for (const x of digits) model.logProb(x);  // warm-up
    let start = performance.now();
    for (const x of digits) model.logProb(x);
    const score = (performance.now() - start) / digits.length;
    start = performance.now();
    for (const seed of seeds) model.sample(seed);
    result[name] = { score, sample: (performance.now() - start) / seeds.length };
  }
  return result;
}"""


def load_time(browser, url: str, allowed: str) -> float:
    offline = OfflinePage(browser, allowed=(allowed,))
    try:
        offline.page.goto(url, wait_until="commit")
        wait_for_explorers(offline.page, timeout=120_000)
        seconds = offline.page.evaluate("() => performance.now() / 1000")
        if offline.errors or offline.outside:
            raise RuntimeError(f"the page failed: {offline.errors + offline.outside}")
        return seconds
    finally:
        offline.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=100)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        explorers = folder / "_static" / explorers_static.TARGET
        explorers_static.write_site_folder(explorers)
        sizes = playground.write_site_data(explorers / explorers_static.DATA)
        (folder / "index.html").write_text(PAGE.format(body=playground.ModelPlayground().placeholder_html()), encoding="utf-8")
        print("weights: " + ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in sizes.items()))
        digits = zoo.digits().test[: args.digits].tolist()
        with serve(folder) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for where, address, allowed in (("http", url + "index.html", url), ("file://", (folder / "index.html").as_uri(), folder.as_uri())):
                times = [load_time(browser, address, allowed) for _ in range(args.loads)]
                print(f"page load until every model is ready ({where}): median {statistics.median(times) * 1000:.0f} ms of {args.loads} "
                      f"({', '.join(f'{t * 1000:.0f}' for t in times)} ms)")
            offline = OfflinePage(browser, allowed=(url,))
            page = offline.goto(url + "index.html")
            wait_for_explorers(page, timeout=120_000)
            timings = page.evaluate(TIMING_JS, [digits, list(range(args.samples))])
            print(f"{'model':<12} {'logProb (ms/digit)':>19} {'sample (ms/digit)':>18}")
            for name, row in timings.items():
                print(f"{name:<12} {row['score']:>19.2f} {row['sample']:>18.2f}")
            root = page.locator(".mlebook-explorer")
            root.get_by_label("hide a region").select_option("bottom")
            button = root.get_by_role("button", name="complete the hidden pixels with NADE")
            completion = page.evaluate("(b) => { const start = performance.now(); b.click(); return performance.now() - start; }", button.element_handle())
            print(f"NADE completion of the bottom half, 32 draws, with the readouts' update: {completion:.0f} ms")
            if args.screenshot:
                page.set_viewport_size({"width": 1000, "height": 1100})
                root.screenshot(path=str(args.screenshot))
            offline.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
