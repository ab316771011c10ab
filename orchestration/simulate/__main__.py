"""python -m orchestration.simulate: write a simulated center's files into a landing folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.center_config import load_center_config
from orchestration.simulate.inbound import simulate_inbound
from orchestration.simulate.output import write_simulated_center


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, default=Path("config/example.yml"))
    parser.add_argument("--landing", type=Path, default=Path("landing"))
    parser.add_argument("--truth", type=Path, default=Path("var/truth"))
    args = parser.parse_args()
    config = load_center_config(args.config)
    center = simulate_inbound(config)
    write_simulated_center(center, config, args.landing, args.truth)
    print(
        f"simulated {len(center.stints)} queue stints, {len(center.lines)} queue_log lines, "
        f"{len(center.legs)} CDR legs "
        f"-> {args.landing}; ground truth -> {args.truth}"
    )


if __name__ == "__main__":
    main()
