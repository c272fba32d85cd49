#!/usr/bin/env python3
"""Times alt-prep's review-path SQL on a benchmark database, each query beside its rewrite
(see BENCHMARKS.md, "Where the time goes").

    pip install apsw==3.54.1.0        # the SQLite version rusqlite bundles (3.54.1)
    python3 benches/queries.py /tmp/alt-prep-bench/100000/steady/alt.sqlite3

"before" is the SQL of src/db as of commit 650a89f (with the parameters the review path binds
at ALT_PREP_NOW); "after" is the rewrite, as landed in 7acdea9 where it says so. Each runs on a
fresh read-only connection with SQLite's default page cache, like the first query of a process
("cold": the OS page cache is warm), then 5 more times on that connection ("warm", as within
one long session), and its EXPLAIN QUERY PLAN is printed. Then the cost of preparing a
statement per call (as `Connection::query_row` does) against a cached statement, with and
without SQLITE_DBCONFIG_ENABLE_QPSG. Read-only: the database is not changed. Not part of
`cargo test`.
"""

from __future__ import annotations

import statistics
import sys
import time

try:
    import apsw
except ImportError:  # pragma: no cover
    sys.exit("needs apsw (pip install apsw==3.54.1.0: the SQLite that rusqlite bundles)")

NOW = 1775430000  # 2026-04-06T08:00:00+09:00
DAY_START_MS = (NOW - (NOW - 4 * 3600) % 86400) * 1000  # 04:00 UTC study-day start (TZ=UTC)
I64_MAX = 9223372036854775807
COLS = (
    "cards.id, cards.deck_id, decks.name, decks.key || '/' || cards.key, cards.kind, "
    "cards.front, cards.back, cards.tags, cards.suspended, cards.state, cards.step, "
    "cards.stability, cards.difficulty, cards.due, cards.last_review, cards.interval_days, "
    "cards.reps, cards.lapses"
)
QUEUE = (
    f"SELECT {COLS} FROM cards JOIN decks ON decks.id = cards.deck_id\n"
    "WHERE cards.kind = ?1 AND cards.suspended = 0 AND {state} AND cards.due <= ?2\n"
    "  AND cards.id != ?3 ORDER BY {order} LIMIT 1"
)

CASES = [
    # (name, SQL before, params, SQL after or None)
    (
        "done_since (Session::plan, every review start; after = 7acdea9)",
        "SELECT count(*) FILTER (WHERE r.state_before = 0), count(*) FILTER (WHERE r.state_before = 2)\n"
        "FROM reviews r JOIN cards c ON c.id = r.card_id\n"
        "WHERE r.reviewed_at >= ?1 AND c.kind = ?2 AND r.source != 'import'",
        (DAY_START_MS, 0),
        "SELECT count(*) FILTER (WHERE r.state_before = 0), count(*) FILTER (WHERE r.state_before = 2)\n"
        "FROM reviews r CROSS JOIN cards c ON c.id = r.card_id\n"
        "WHERE r.reviewed_at >= ?1 AND c.kind = ?2 AND r.source != 'import'",
    ),
    (
        "next_learning (Session::pick, before every card; 7acdea9 runs the two halves as two queries)",
        QUEUE.format(state="cards.state IN (1, 3)", order="cards.due, cards.id"),
        (0, NOW, -1),
        f"SELECT {COLS} FROM cards JOIN decks ON decks.id = cards.deck_id WHERE cards.id = (\n"
        "  SELECT id FROM (\n"
        "    SELECT * FROM (SELECT id, due FROM cards WHERE kind = ?1 AND suspended = 0 AND state = 1\n"
        "                   AND due <= ?2 AND id != ?3 ORDER BY due, id LIMIT 1)\n"
        "    UNION ALL\n"
        "    SELECT * FROM (SELECT id, due FROM cards WHERE kind = ?1 AND suspended = 0 AND state = 3\n"
        "                   AND due <= ?2 AND id != ?3 ORDER BY due, id LIMIT 1))\n"
        "  ORDER BY due, id LIMIT 1)",
    ),
    (
        "next_review",
        QUEUE.format(state="cards.state = 2", order="cards.due, cards.id"),
        (0, NOW, -1),
        None,
    ),
    (
        "next_new (Session::pick; Session::next_due at the end; after = 7acdea9)",
        QUEUE.format(state="cards.state = 0", order="cards.position, cards.id"),
        (0, I64_MAX, -1),
        f"SELECT {COLS} FROM cards JOIN decks ON decks.id = cards.deck_id\n"
        "WHERE cards.kind = ?1 AND cards.suspended = 0 AND cards.state = 0\n"
        "  AND cards.id != ?3 ORDER BY cards.position, cards.id LIMIT 1",
    ),
    (
        "next_due_time (Session::next_due, at the end; 7acdea9 runs the three as three queries)",
        "SELECT min(due) FROM cards WHERE kind = ?1 AND suspended = 0 AND state != 0",
        (0,),
        "SELECT min(m) FROM (\n"
        "  SELECT min(due) AS m FROM cards WHERE kind = ?1 AND suspended = 0 AND state = 1 UNION ALL\n"
        "  SELECT min(due) FROM cards WHERE kind = ?1 AND suspended = 0 AND state = 2 UNION ALL\n"
        "  SELECT min(due) FROM cards WHERE kind = ?1 AND suspended = 0 AND state = 3)",
    ),
    (
        "queue_count learning (the header's learning count, before every card: still counted row by row)",
        "SELECT count(*) FROM (SELECT 1 FROM cards WHERE kind = ?1 AND suspended = 0\n"
        "  AND state IN (1, 3) AND due <= ?2 LIMIT ?3)",
        (0, NOW + 1200, 99999),
        None,
    ),
    (
        "deck_counts (decks --json, per deck: reads every row of the deck)",
        "SELECT count(*) FILTER (WHERE kind = 0), count(*) FILTER (WHERE kind = 1),\n"
        " count(*) FILTER (WHERE kind = 0 AND suspended = 0 AND state = 0),\n"
        " count(*) FILTER (WHERE kind = 0 AND suspended = 0 AND state IN (1, 3) AND due <= ?1),\n"
        " count(*) FILTER (WHERE kind = 0 AND suspended = 0 AND state = 2 AND due <= ?1),\n"
        " count(*) FILTER (WHERE kind = 0 AND suspended = 1)\n"
        "FROM cards WHERE 1 = 1 AND cards.deck_id IN (?2)",
        (NOW, "BENCH_DECK"),
        None,
    ),
]


def run(conn, sql, params):
    t = time.perf_counter()
    rows = list(conn.execute(sql, params))
    return time.perf_counter() - t, rows


def plan(conn, sql, params):
    return "\n".join("    " + r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


def measure(path, sql, params):
    conn = apsw.Connection(path, flags=apsw.SQLITE_OPEN_READONLY)
    cold, rows = run(conn, sql, params)
    warm = statistics.median(run(conn, sql, params)[0] for _ in range(5))
    p = plan(conn, sql, params)
    conn.close()
    return cold, warm, rows, p


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    conn = apsw.Connection(path, flags=apsw.SQLITE_OPEN_READONLY)
    deck = conn.execute("SELECT id FROM decks WHERE key = 'bench'").fetchone()[0]
    n = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    conn.close()
    print(f"SQLite {apsw.sqlite_lib_version()}, {path}: {n} cards\n")
    for name, sql, params, better in CASES:
        params = tuple(deck if p == "BENCH_DECK" else p for p in params)
        cold, warm, rows, p = measure(path, sql, params)
        print(f"== {name}\n  before:    cold {cold * 1e3:7.2f} ms, warm {warm * 1e3:7.2f} ms  -> {str(rows[0])[:60] if rows else None}")
        print(p)
        if better:
            cold2, warm2, rows2, p2 = measure(path, better, params)
            same = "same result" if rows2 == rows else f"DIFFERENT: {str(rows2[0])[:60] if rows2 else None}"
            print(f"  after:     cold {cold2 * 1e3:7.2f} ms, warm {warm2 * 1e3:7.2f} ms  ({same})")
            print(p2)
        print()
    prepare_costs(path)


def prepare_costs(path):
    """Per call: prepare + step + finalize (what `query_row` with a `format!`-built SQL string
    does) against a cached statement, with and without the query-planner stability guarantee
    (without it SQLite 3.54 re-prepares a statement on its first step whenever a parameter used
    in a range on an indexed column, or in LIMIT, was bound: sqlite3VdbeReprepareOnBind)."""
    sql = QUEUE.format(state="cards.state = 1", order="cards.due, cards.id").replace(
        "AND cards.id != ?3 ", ""
    )
    print("== one queue query (first_in_queue, learning half), per call")
    for qpsg in (0, 1):
        for cache in (0, 100):
            conn = apsw.Connection(path, flags=apsw.SQLITE_OPEN_READONLY, statementcachesize=cache)
            conn.config(apsw.SQLITE_DBCONFIG_ENABLE_QPSG, qpsg)
            list(conn.execute(sql, (0, NOW)))
            t = time.perf_counter()
            for i in range(500):
                list(conn.execute(sql, (0, NOW + i)))
            us = (time.perf_counter() - t) / 500 * 1e6
            conn.close()
            print(
                f"  {'cached statement' if cache else 'prepared per call':18} "
                f"QPSG {'on ' if qpsg else 'off'}: {us:7.0f} us"
            )


if __name__ == "__main__":
    main()
