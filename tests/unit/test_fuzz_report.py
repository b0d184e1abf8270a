"""The fuzz benchmark's section: a run of some endpoints keeps the others' rows, marked with their date."""

from types import SimpleNamespace

from bench.fuzz_endpoints import ENDPOINTS, Figures, earlier_rows, report

EARLIER = "\n".join([
    "## Fuzzing the public endpoints",
    "",
    "Command: `make bench-fuzz` — run 2026-12-02 14:11 UTC on x86_64, 2 cores, Python 3.10.13.",
    "",
    "| endpoint | inputs | 2xx | 4xx | 5xx | other | conn. errors | time-outs | apologies | p50 ms | p99 ms | after |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    "| REST `POST /webhooks/rest/webhook` | 10,000 | 4,523 | 5,477 | **0** | 0 | 0 | 0 | 1 | 6 | 753 | ok |",
    "| console `/api/*` as an agent and a supervisor (ids, bodies, query parameters) | 10,000 | 2,792 | 7,203 "
    "| **5** | 0 | 0 | 0 | 0 | 3 | 219 | ok |",
    "",
    "| `HttpOrderSystem`, every method, answers of any status, type, body, broken HTTP, slow or none | 10,000 "
    "| 4,323 | 297 | 5,380 | **0** | 0 | 2 | 1201 |",
])
ARGS = SimpleNamespace(examples=10_000, seed=1, concurrency=4)


def _console_figures() -> Figures:
    figures = Figures(next(endpoint for endpoint in ENDPOINTS if endpoint.name == "console"), inputs=10_000)
    figures.classes.update({"2xx": 2_800, "4xx": 7_200})
    return figures


def test_rows_not_rerun_are_kept_with_their_date_and_rerun_rows_replace_theirs():
    body = "\n".join(report(ARGS, [_console_figures()], {}, earlier_rows(EARLIER)))
    assert "| REST `POST /webhooks/rest/webhook` (from the run of 2026-12-02 14:11 UTC) | 10,000 | 4,523 |" in body
    console = [line for line in body.splitlines() if line.startswith("| console `/api/*`")]
    assert console == [line for line in console if "from the run of" not in line] and "**0**" in console[0]
    assert "slow or none (from the run of 2026-12-02 14:11 UTC) | 10,000 | 4,323" in body
    assert "in this run (console)" in body


def test_a_row_kept_twice_keeps_its_first_date():
    once = "\n".join(["Command: `make bench-fuzz` — run 2026-12-03 10:00 UTC on x86_64.",
                      *report(ARGS, [_console_figures()], {}, earlier_rows(EARLIER))])
    rest = earlier_rows(once)["REST `POST /webhooks/rest/webhook`"]
    assert rest.count("from the run of") == 1 and "2026-12-02 14:11 UTC" in rest
