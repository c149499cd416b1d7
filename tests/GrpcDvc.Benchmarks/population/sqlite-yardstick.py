#!/usr/bin/env python3
"""The SQLite yardstick of the population benchmark (run.sh, PROVIDER=sqlite): the SQL of one
LookupCitizen run back to back by one connection in this one process, as pgbench runs it on
PostgreSQL. SQLite has one writer, so one connection is the fair comparison for the lookup's
transaction (more would queue for the write lock, not add commits).

  sqlite-yardstick.py DB IDS_FILE SECONDS select|tx   ->  "tx_per_s p50_ms p99_ms cpu_ms_per_tx"

select: the citizen read alone; tx: BEGIN, that read, the access-log INSERT with the server's
columns and values, COMMIT. The database keeps its own journal mode (the server sets WAL) and
SQLite's default synchronous (FULL), as the server's connections do. A 3 s warm-up comes first."""
import random
import sqlite3
import sys
import time
import uuid

READ = "SELECT c.* FROM citizens c WHERE c.id_number = ?"
LOG = ("INSERT INTO data_accesses (id, at, accessor_account_id, accessor_name, accessor_role, agency_code, "
       "purpose, reference, legal_basis, subject_id_number, fields, rpc) VALUES (?, ?, ?, ?, ?, NULL, 2, "
       "'BENCH', NULL, ?, 'id_number,full_name,other_names,birth_date,gender,nationality,status', "
       "'/dvc.population.v1.PopulationService/LookupCitizen')")
ACCESSOR = ("00000000-0000-0000-0000-0000000be0f1", "Bench Officer", "processing_officer")


def run(db, ids, seconds, with_log):
    random.seed(1)
    latencies = []
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        id_number = random.choice(ids)
        started = time.perf_counter_ns()
        if with_log:
            db.execute("BEGIN")
        db.execute(READ, (id_number,)).fetchall()
        if with_log:
            # The server writes its Guid ids as upper-case text (EF Core's SQLite mapping).
            db.execute(LOG, (str(uuid.uuid4()).upper(), int(time.time() * 1000), *ACCESSOR, id_number))
            db.execute("COMMIT")
        latencies.append(time.perf_counter_ns() - started)
    return latencies


def main():
    path, ids_file, seconds, mode = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    with open(ids_file, encoding="utf-8") as f:
        ids = [line.strip() for line in f if line.strip()]
    db = sqlite3.connect(path, isolation_level=None)  # autocommit; BEGIN and COMMIT are sent as written
    db.execute("PRAGMA busy_timeout = 5000")
    run(db, ids, 3, mode == "tx")
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    latencies = sorted(run(db, ids, seconds, mode == "tx"))
    cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
    n = len(latencies)
    percentile = lambda p: latencies[min(n - 1, int(p * n))] / 1e6
    print(f"{n / wall:.0f} {percentile(0.50):.3f} {percentile(0.99):.3f} {cpu * 1000 / n:.3f}")


main()
