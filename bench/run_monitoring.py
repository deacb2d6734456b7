"""Monitoring benchmark on PostgreSQL (docs/performance.md).

Seeds G gemeenten, P persons (one case each) and S participation spells with set-based SQL in a
throw-away database, then in the same run:

1. times the full fact rebuild (`monitoring.services.facts_rebuild`, all gemeenten), then
   separately the dashboard snapshots the nightly job computes after it;
2. times the floor: one hand-written SQL pass computing the same WERK_{N}M table, and checks
   that the facts give the same numerators and denominators;
3. starts gunicorn on 127.0.0.1 (production settings for caching: a shared Redis cache) and
   measures p50/p95 of the indicator API and the dashboard page with Locust (16 users), once
   with a think time between a user's requests and once back to back (saturation).

Needs the bench requirements (`make bench` installs them): requirements/bench.txt.

Default sizes are small (runs in about a minute). National scale:

    .venv/bin/python bench/run_monitoring.py --gemeenten 345 --personen 300000 --perioden 3000000

Only 127.0.0.1 is contacted. The database (default thuis_bench) is dropped and re-created.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PEILDATUM = date(2025, 1, 1)
MONTHS = (6, 12, 18, 24, 30, 36, 48, 60)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--gemeenten", type=int, default=20)
    p.add_argument("--personen", type=int, default=10_000)
    p.add_argument("--perioden", type=int, default=100_000)
    p.add_argument("--database", default="thuis_bench")
    p.add_argument(
        "--pg",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server (trust or password in the URL)",
    )
    p.add_argument("--gebruikers", type=int, default=16, help="concurrent Locust users")
    p.add_argument("--duur", type=int, default=30, help="seconds of load per measurement")
    p.add_argument(
        "--denktijd",
        default="0.5,1.5",
        help="think time between a user's requests, 'min,max' seconds (realistic run)",
    )
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    p.add_argument("--cache", default="redis://127.0.0.1:6379/9", help="shared cache (Redis)")
    p.add_argument("--port", type=int, default=8799)
    p.add_argument("--json", help="write the results as JSON to this file")
    return p.parse_args()


def setup_database(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    os.environ["DATABASE_URL"] = f"{args.pg}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuis.conf.test")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


SEED_SQL = """
SELECT setseed(0.42);
INSERT INTO people_municipality (created_at, updated_at, code, name)
SELECT now(), now(), lpad(g::text, 4, '0'), 'Benchgemeente ' || g FROM generate_series(1, %(g)s) g;

-- Persons: one in ten in the first gemeente (a large city), the rest spread evenly.
INSERT INTO people_person (created_at, updated_at, bsn, given_names, prefix, family_name,
  birth_date, sex, nationality, country_of_birth, languages, preferred_language, municipality_id)
SELECT now(), now(), lpad((100000000 + i)::text, 9, '0'), 'Bench', '', 'Persoon',
  date '1955-01-01' + (random() * 18000)::int,
  CASE WHEN random() < 0.55 THEN 'M' ELSE 'V' END, 'SY',
  (ARRAY['SY', 'ER', 'AF', 'TR', 'IQ', 'YE'])[1 + floor(random() * 6)::int], '[]', '',
  (SELECT min(id) FROM people_municipality)
    + CASE WHEN i %% 10 = 0 THEN 0 ELSE i %% %(g)s END
FROM generate_series(1, %(p)s) i;

INSERT INTO cases_integrationcase (created_at, updated_at, regime, plicht_start, koppeling_date,
  vestiging_date, status, status_since, version, municipality_id, person_id, kennisgeving_date,
  loan_status, permit_asiel_bepaalde_tijd, plicht_end_date, plicht_end_reason, recht_op_bijstand)
SELECT now(), now(), CASE WHEN s >= date '2022-01-01' THEN 'Wi2021' ELSE 'Wi2013' END, s,
  s - 40, s + (random() * 180)::int, 'aangemeld', s, 1, municipality_id, id, s, 'geen', true,
  NULL, '', false
FROM (SELECT id, municipality_id, date '2018-01-01' + (random() * 2400)::int AS s
      FROM people_person) p;

INSERT INTO cases_doelgroepperiod (created_at, updated_at, doelgroep, gedetailleerde_doelgroep,
  start_date, case_id)
SELECT now(), now(), d, d, plicht_start, id FROM (
  SELECT id, plicht_start,
    CASE WHEN random() < 0.75 THEN 'asielstatushouder' ELSE 'gezinsmigrant' END AS d
  FROM cases_integrationcase) c;
UPDATE cases_doelgroepperiod SET gedetailleerde_doelgroep = 'gezinshereniger'
WHERE doelgroep = 'gezinsmigrant';

INSERT INTO cases_bredeintake (created_at, updated_at, status, started_on, lbt_outcome, lbt_review,
  education_history, work_history, finances, housing, social_network, family_childcare,
  vve_children, participation_wishes, talk_without_partner_offered, talk_without_partner_held,
  case_id)
SELECT now(), now(), 'loopt', plicht_start + (random() * 120)::int, '', false, '', '', '', '',
  '', '', '', '', false, false, id
FROM cases_integrationcase WHERE random() < 0.8;

INSERT INTO cases_pip (created_at, updated_at, version, dagtekening, leerroute, niveau,
  pvt_intensiteit, map_intensiteit, begeleiding, ondersteuning, ontzorgen, voortgangsafspraken,
  alfabetisering, mag_opleiding_afmaken, reason, reason_text, case_id)
SELECT now(), now(), 1, i.started_on + (random() * 90)::int,
  (ARRAY['B1', 'onderwijs', 'Z'])[1 + floor(random() * 3)::int], '', 'standaard', 'standaard',
  '', '', false, '', 'NVT', false, 'eerste', '', i.case_id
FROM cases_bredeintake i WHERE random() < 0.75;

INSERT INTO partners_participationspell (created_at, updated_at, kind, start_date, end_date,
  hours_per_week, sector, contract_type, description, source, source_key, person_id)
SELECT now(), now(), kind, st,
  CASE WHEN random() < 0.2 THEN NULL ELSE st + (random() * 700)::int END,
  NULL, '', '', '', 'import', '', person_id
FROM (
  SELECT (SELECT min(id) FROM people_person) + floor(random() * %(p)s)::int AS person_id,
    (ARRAY['werk', 'werk', 'bijstand', 'bijstand', 'vrijwilligerswerk', 'opleiding', 'stage',
           'taalcoach'])[1 + floor(random() * 8)::int] AS kind,
    date '2018-01-01' + (random() * 2800)::int AS st
  FROM generate_series(1, %(s)s)
) s;
ANALYZE;
"""

FLOOR_SQL = """
WITH base AS (
  SELECT c.person_id, c.municipality_id, c.plicht_start
  FROM cases_integrationcase c
  JOIN people_person p ON p.id = c.person_id
  JOIN LATERAL (SELECT d.doelgroep FROM cases_doelgroepperiod d WHERE d.case_id = c.id
                ORDER BY d.start_date DESC LIMIT 1) dg ON true
  WHERE dg.doelgroep = 'asielstatushouder'
    AND date_part('year', age(c.plicht_start, p.birth_date)) BETWEEN 18 AND 64
), measured AS (
  SELECT b.person_id, b.municipality_id, b.plicht_start, m.n,
         (b.plicht_start + make_interval(months => m.n))::date AS on_date
  FROM base b CROSS JOIN unnest(ARRAY[6, 12, 18, 24, 30, 36, 48, 60]) AS m(n)
)
SELECT municipality_id, extract(year FROM plicht_start)::int AS cohort, n,
  count(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM partners_participationspell s
    WHERE s.person_id = measured.person_id AND s.kind = 'werk' AND s.start_date <= on_date
      AND (s.end_date IS NULL OR s.end_date >= on_date))) AS teller,
  count(*) AS noemer
FROM measured WHERE on_date <= %(peil)s
GROUP BY 1, 2, 3
"""

FACTS_SQL = """
SELECT municipality_id, extract(year FROM plicht_start)::int AS cohort, m.n,
  count(*) FILTER (WHERE covered_months -> 'WERK' @> to_jsonb(m.n)) AS teller, count(*) AS noemer
FROM monitoring_personfact CROSS JOIN unnest(ARRAY[6, 12, 18, 24, 30, 36, 48, 60]) AS m(n)
WHERE doelgroep = 'asielstatushouder' AND age_at_plicht_start BETWEEN 18 AND 64
  AND (plicht_start + make_interval(months => m.n))::date <= %(peil)s
GROUP BY 1, 2, 3
"""


def seed(args: argparse.Namespace) -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in SEED_SQL.split(";\n"):
            if statement.strip():
                cursor.execute(
                    statement, {"g": args.gemeenten, "p": args.personen, "s": args.perioden}
                )
    return time.perf_counter() - start


def time_rebuild() -> tuple[float, dict[str, int]]:
    from thuis.monitoring import services

    start = time.perf_counter()
    totals = services.facts_rebuild(snapshots=False)
    return time.perf_counter() - start, totals


def time_snapshots() -> float:
    from thuis.monitoring import services

    start = time.perf_counter()
    services.indicator_snapshots_refresh()
    return time.perf_counter() - start


def time_floor() -> tuple[float, dict[tuple[int, int, int], tuple[int, int]]]:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"peil": PEILDATUM})
        rows = cursor.fetchall()
    elapsed = time.perf_counter() - start
    return elapsed, {(m, c, n): (t, d) for m, c, n, t, d in rows}


def facts_table() -> dict[tuple[int, int, int], tuple[int, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FACTS_SQL, {"peil": PEILDATUM})
        return {(m, c, n): (t, d) for m, c, n, t, d in cursor.fetchall()}


def credentials() -> tuple[str, str, str]:
    """A beleidsmedewerker of the largest gemeente: an API token and a session that passed the
    second factor (as after a TOTP login)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from thuis.accounts import services as account_services
    from thuis.accounts.choices import Role, TokenPurpose
    from thuis.accounts.models import User
    from thuis.people.models import Municipality

    big = Municipality.objects.order_by("id").first()
    assert big is not None  # noqa: S101
    user = User.objects.create_user(
        username="bench",
        password="Bench-wachtwoord-2026!",  # noqa: S106
        role=Role.BELEIDSMEDEWERKER,
    )
    user.municipalities.set([big])
    # The BI system's key (a system account of the gemeente, purpose "indicatoren").
    _, token = account_services.api_token_create(
        by=account_services.BOOTSTRAP_KEY_ACTOR,
        purpose=TokenPurpose.INDICATOREN,
        municipality=big,
        name="bench",
    )
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["thuis_login_at"] = time.time()
    session["thuis_last_seen"] = time.time()
    session.create()
    return big.code, token, session.session_key or ""


def load(
    base: str, path: str, headers: dict[str, str], *, users: int, seconds: int, wait: str
) -> dict[str, float]:
    """Locust, headless: `users` users request `path` for `seconds`; percentiles in ms."""
    import csv
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "BENCH_PATH": path,
            "BENCH_HEADERS": json.dumps(headers),
            "BENCH_WAIT": wait,
        }
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                str(ROOT / ".venv/bin/locust"),
                "-f",
                str(ROOT / "bench/locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--host",
                base,
                "--csv",
                f"{tmp}/load",
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with open(f"{tmp}/load_stats.csv", encoding="utf-8") as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "endpoint")
    return {
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "max_ms": round(float(row["Max Response Time"]), 1),
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
    }


def serve(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    # Production-like: persistent database connections (DATABASE_CONN_MAX_AGE).
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_CONN_MAX_AGE": "600",
        "CACHE_URL": args.cache,
    }
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "thuis.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=str(ROOT / "src"),
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{args.port}/.well-known/security.txt",
                timeout=1,
            )
            return process
        except Exception:  # not up yet
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def clear_cache(url: str) -> None:
    """Start from an empty shared cache (the bench's own Redis database)."""
    import redis

    redis.Redis.from_url(url).flushdb()


def main() -> None:
    args = parse_args()
    print(
        f"Benchmark: {args.gemeenten} gemeenten, {args.personen} personen, "
        f"{args.perioden} perioden (PostgreSQL, database {args.database})"
    )
    setup_database(args)
    seconds = seed(args)
    print(f"seed: {seconds:.1f} s")
    rebuild, totals = time_rebuild()
    print(f"fact rebuild: {rebuild:.2f} s ({totals})")
    floor, floor_rows = time_floor()
    print(f"SQL floor (WERK_{{N}}M table): {floor:.2f} s; rebuild / floor = {rebuild / floor:.2f}")
    same = facts_table() == floor_rows
    print(f"facts give the same WERK_{{N}}M numerators and denominators as the floor: {same}")
    snapshots = time_snapshots()
    print(f"dashboard snapshots of all gemeenten (after the rebuild): {snapshots:.2f} s")
    code, token, session = credentials()
    from django.db import connections

    connections.close_all()
    clear_cache(args.cache)
    process = serve(args)
    base = f"http://127.0.0.1:{args.port}"
    endpoints = {
        "api": (
            f"/api/v1/indicatoren/WERK_12M/?gemeente={code}&peildatum={PEILDATUM}"
            "&per=cohort,geslacht",
            {"Authorization": f"Bearer {token}"},
        ),
        # What a beleidsmedewerker opens: the dashboard of the own gemeente, today.
        "dashboard": ("/monitor/", {"Cookie": f"sessionid={session}"}),
    }
    results: dict[str, dict[str, float]] = {}
    try:
        for mode, wait in (("denktijd", args.denktijd), ("verzadiging", "0,0")):
            for name, (path, headers) in endpoints.items():
                key = f"{name}_{mode}"
                results[key] = load(
                    base, path, headers, users=args.gebruikers, seconds=args.duur, wait=wait
                )
                print(
                    f"{key} ({args.gebruikers} Locust users, think time {wait} s): {results[key]}"
                )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    result = {
        "gemeenten": args.gemeenten,
        "personen": args.personen,
        "perioden": args.perioden,
        "seed_s": round(seconds, 1),
        "rebuild_s": round(rebuild, 2),
        "floor_s": round(floor, 2),
        "rebuild_over_floor": round(rebuild / floor, 2),
        "same_as_floor": same,
        "snapshots_s": round(snapshots, 2),
        "load": results,
        "rebuild_totals": totals,
        "workers": args.workers,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
    if not same or any(r["errors"] for r in results.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
