"""Time an incident report's PDF: Medic's capped child process against WeasyPrint in-process.

Both start from the same HTML (an incident with 13 drift bars and 40 audit entries). Medic
renders in a child with an address-space cap and a wall-time cap; the peer is one warm
interpreter calling WeasyPrint directly (no isolation, no caps). Each is run N times.

Usage: .venv/bin/python bench/reports.py [--runs 5]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def context() -> dict:
    entries = [{"id": n, "at": f"2026-11-26T10:{n:02d}:00", "incident_id": 7, "actor": "medic",
                "event": "step", "data": {}, "hash": f"{n:064x}"} for n in range(1, 41)]
    features = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang",
                "oldpeak", "slope", "ca", "thal"]
    return {
        "generated_at": "2026-11-26 10:45:00",
        "incident": {"id": 7, "title": "FeatureDrift", "state": "resolved", "type": "drift",
                     "first_seen": "2026-11-26T10:00:00", "last_seen": "2026-11-26T10:00:00",
                     "alerts": 1, "fingerprint": "f" * 32, "outcome": "fixed: retrain helped",
                     "diagnosis": [{"tool": "drift_report", "status": "success",
                                    "message": "10 of 13 features drifted"}],
                     "plan": [{"tool": "retrain", "args": {"reason": "drift"}, "risk": "risky",
                               "execution": "success"}],
                     "approvals": [{"id": 3, "status": "approved", "decided_by": "alice",
                                    "decided_at": "2026-11-26T10:05:00", "comment": "go",
                                    "requested_at": "2026-11-26T10:01:00",
                                    "expires_at": "2026-11-26T11:01:00", "digest": "d" * 64,
                                    "actions": [{"tool": "retrain", "args": {}, "risk": "risky"}]}],
                     "actions": [{"tool": "retrain", "args": {}, "status": "success",
                                  "result": {"message": "version 3: champion"},
                                  "effective": True, "started_at": "2026-11-26T10:05:01"}]},
        "alert": {"name": "FeatureDrift", "type": "drift", "source": "medic",
                  "status": "firing", "values": {}, "labels": {}, "annotations": {},
                  "evidence": {}},
        "decision": {"decided_by": "rules", "severity_score": 0.8, "severity_level": "high",
                     "note": "", "verdict": "approval", "gate_reasons": ["risky"],
                     "checks": ["retrain: helped"], "reasons": ["drift share 0.77"]},
        "measurements": {"drift": {"features": [{"feature": f, "p_value": 10 ** -(i % 9),
                                                 "drifted": i % 9 > 1}
                                                for i, f in enumerate(features)],
                                   "share": 0.77, "current_rows": 200, "reference_rows": 303},
                         "performance": None},
        "audit": {"entries": entries, "first": entries[0], "last": entries[-1]},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    from services.reports import render
    from services.reports.pdf import to_pdf

    html = render.incident_html(context())
    ours = []
    for _ in range(runs):
        started = time.perf_counter()
        to_pdf(html)
        ours.append(time.perf_counter() - started)
    import weasyprint

    weasyprint.HTML(string="<p>warm</p>").write_pdf()
    theirs = []
    for _ in range(runs):
        started = time.perf_counter()
        weasyprint.HTML(string=html).write_pdf()
        theirs.append(time.perf_counter() - started)
    print(f"Medic, capped child process: median {statistics.median(ours):.3f} s "
          f"(runs {', '.join(f'{t:.2f}' for t in ours)})")
    print(f"WeasyPrint in a warm process (peer): median {statistics.median(theirs):.3f} s "
          f"(runs {', '.join(f'{t:.2f}' for t in theirs)})")
    print(f"ratio: {statistics.median(ours) / statistics.median(theirs):.2f}")


if __name__ == "__main__":
    main()
