"""``linli demo``: create the embedded database, load the real Chengdu places and a
synthetic population, create one account per role, print them, and serve."""

from __future__ import annotations

import argparse
import sys
import time

from django.core.management import call_command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linli demo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-serve", action="store_true", help="set everything up, then stop")
    args = parser.parse_args(argv)

    from linli.common.i18n import compile_catalogues
    from linli.demo.accounts import DEMO_PASSWORD, do_create_demo_accounts, plan_demo_guardians
    from linli.demo.population import do_load_population
    from linli.places.services import do_load_divisions

    started = time.monotonic()
    compile_catalogues()
    print("[1/5] database: migrating …", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    summary = do_load_divisions()
    print(
        f"[2/5] Chengdu places: {summary.created} new, {summary.unchanged} already there",
        flush=True,
    )

    def progress(done: int, total: int) -> None:
        print(f"\r[3/5] synthetic population: community {done}/{total}", end="", flush=True)

    counts = do_load_population(scale="demo", seed=args.seed, progress=progress)
    print(
        f"\n      loaded {counts.residents} residents, {counts.households} households, "
        f"{counts.wards} vulnerable people, {counts.volunteers} volunteers, "
        f"{counts.checkpoints} checkpoints in {len(counts.communities)} communities",
        flush=True,
    )
    planned = plan_demo_guardians()
    print(f"[4/5] guardians planned in {planned} communities", flush=True)
    accounts = do_create_demo_accounts()
    print(f"[5/5] demo accounts (password for all: {DEMO_PASSWORD}):")
    for account in accounts:
        print(f"      {account.username:<24} {account.place_name} ({account.place_code})")
    from linli.demo.accounts import DEMO_COMMUNITY
    from linli.demo.rosters import do_set_up_demo_roster

    roster = do_set_up_demo_roster(DEMO_COMMUNITY)
    if roster is not None:
        print(
            f"      checkpoint roster from {roster.start}: {roster.shifts.count()} shifts, {roster.status}"
        )
    from linli.demo.supplies import do_set_up_demo_supplies

    entries = do_set_up_demo_supplies(DEMO_COMMUNITY)
    if entries:
        print(f"      supplies: {entries} ledger entries in the demo community", flush=True)
    from linli.demo.service_desk import do_set_up_demo_services

    requests = do_set_up_demo_services(DEMO_COMMUNITY, password=DEMO_PASSWORD)
    if requests:
        print(f"      service requests: a team of 3 professionals, {requests} requests", flush=True)
    from linli.demo.taskforce import do_set_up_demo_taskforce

    groups = do_set_up_demo_taskforce(DEMO_COMMUNITY)
    if groups:
        print(f"      task force: {groups} groups from the built-in playbook", flush=True)
    from linli.demo.screening import do_set_up_demo_screening

    screened = do_set_up_demo_screening(DEMO_COMMUNITY)
    if screened:
        print(
            f"      screening: {screened} checks over a week, reports and quarantines", flush=True
        )
    print(f"ready in {time.monotonic() - started:.1f} s", flush=True)
    if args.no_serve:
        from linli.jobs.runner import wait_all

        # The background jobs the set-up started (a quarantine re-plans its community), then
        # the ones those started (notifications), before the process ends.
        wait_all()
        wait_all()
        return 0
    print(f"serving on http://{args.host}:{args.port}/  (sign in at /accounts/login/)", flush=True)
    from linli.jobs.schedule import start_in_thread

    start_in_thread()  # escalations and notification retries, as `linli manage schedule` does
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
