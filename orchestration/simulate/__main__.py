"""python -m orchestration.simulate: write a simulated center's files (PBX, CRM,
surveys) into a landing folder and its ground truth into a truth folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.lib.center_config import load_center_config
from orchestration.simulate.center import simulate_center
from orchestration.simulate.output import accept_deliberate_faults, write_simulated_center


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, default=Path("config/example.yml"))
    parser.add_argument("--landing", type=Path, default=Path("landing"))
    parser.add_argument("--truth", type=Path, default=Path("var/truth"))
    # Where the deliberately bad CRM file is accepted (orchestration/landing.py).
    parser.add_argument("--warehouse", type=Path, default=Path("warehouse"))
    args = parser.parse_args()
    config = load_center_config(args.config)
    center = simulate_center(config)
    faults = write_simulated_center(center, config, args.landing, args.truth)
    accept_deliberate_faults(args.landing, args.warehouse)
    print(
        f"simulated {len(center.calls)} calls ({len(center.stints)} queue stints), "
        f"{len(center.lines)} queue_log lines, {len(center.legs)} CDR legs, CRM and survey "
        f"exports ({len(faults.crm.rows)} CRM faults, {faults.survey.out_of_range_count} + "
        f"{faults.survey.unknown_call_count} survey faults), "
        f"{len(center.outbound.calls) if center.outbound else 0} telesales dials "
        f"-> {args.landing}; ground truth -> {args.truth}"
    )


if __name__ == "__main__":
    main()
