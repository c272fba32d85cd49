#!/usr/bin/env python3
"""A large review history for timing `alt-prep stats` (see BENCHMARKS.md, section "stats").

    python3 benches/gen_reviews.py DB [--reviews 1000000] [--now 2026-06-01T09:00:00Z]

Creates DB from the migrations in src/db/migrations (so it needs no alt-prep binary), then
fills it with five decks of flashcards and a few interview prompts whose review logs are
simulated card by card over about three years, until REVIEWS rows exist: a first answer from
the new state, same-day learning steps, then reviews at growing intervals with lapses and
relearning, at realistic times of day, with skipped days. The cards' final state matches their
log. Seeded: the same arguments give the same database. Not part of `cargo test`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import sys
from pathlib import Path

DAY = 86_400
ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ("self-intro", "classroom", "culture", "teamwork", "japanese")


def migrate(conn: sqlite3.Connection) -> None:
    files = sorted((ROOT / "src/db/migrations").glob("*.sql"))
    for f in files:
        conn.executescript(f.read_text())
    conn.execute(f"PRAGMA user_version = {len(files)}")


def simulate(rng: random.Random, start_day: int, end_day: int, seconds: list[int]):
    """One card's log: (unix_ms, rating, state_before, duration_ms, interval_days) rows and
    its final (state, due, interval_days, stability, difficulty, lapses)."""
    rows = []
    day = start_day
    t = day * DAY + rng.choice(seconds)
    ease = rng.uniform(0.6, 1.0)  # this card's difficulty for the simulated learner
    # First sight: new -> learning (Again or Good), then a step 10 minutes later.
    first = 1 if rng.random() < 0.3 else 3
    rows.append((t, first, 0))
    t += 600 + rng.randrange(120)
    rows.append((t, 3, 1))
    interval = 1.0
    stability = 2.3
    lapses = 0
    state = 2
    while True:
        due_day = day + max(1, round(interval))
        # Some days are skipped: the card is answered a little late.
        day = due_day + (rng.randrange(4) if rng.random() < 0.15 else 0)
        if day >= end_day:
            break
        t = day * DAY + rng.choice(seconds) + rng.randrange(1800)
        recalled = rng.random() < 0.78 + 0.17 * ease
        if recalled:
            rating = 4 if rng.random() < 0.05 else (2 if rng.random() < 0.08 else 3)
            rows.append((t, rating, 2))
            interval = min(interval * (2.0 + ease * 1.5), 3650)
            stability = interval
        else:
            lapses += 1
            rows.append((t, 1, 2))
            t += 600 + rng.randrange(300)
            rows.append((t, 3, 3))
            interval = max(1.0, interval * 0.3)
            stability = interval
    due = due_day * DAY  # may be overdue: the learner skipped a few days
    return rows, (state, due, round(interval), stability, 5.0 + 4 * (1 - ease), lapses)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("db")
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--now", default="2026-06-01T09:00:00Z")
    ap.add_argument("--years", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    path = Path(args.db)
    if path.exists():
        print(f"{path} exists; remove it first", file=sys.stderr)
        return 1
    now = int(dt.datetime.fromisoformat(args.now.replace("Z", "+00:00")).timestamp())
    end_day = now // DAY
    first_day = end_day - int(args.years * 365)
    rng = random.Random(args.seed)
    # Study sessions at 07:30, 12:15 and 21:00 UTC-ish, so days have clusters of reviews.
    seconds = [7 * 3600 + 1800, 12 * 3600 + 900, 21 * 3600]

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn)
    conn.execute("BEGIN")
    for d in range(5):
        conn.execute(
            "INSERT INTO decks (id, key, name, description, created_at) VALUES (?, ?, ?, '', ?)",
            (1000 + d, f"bench{d}", f"Bench {d}", first_day * DAY),
        )
    logs = []  # (unix_ms, card_id, rating, state_before, duration_ms)
    card_id = 100_000
    position = 0
    while len(logs) < args.reviews:
        card_id += 1
        position += 1
        deck = 1000 + card_id % 5
        # New cards arrive steadily: about 25 a day over the whole period.
        start = first_day + int((position / 25.0)) % (end_day - first_day)
        rows, (state, due, ivl, s, d, lapses) = simulate(rng, start, end_day, seconds)
        tags = "leech" if lapses >= 8 else ""
        suspended = 1 if lapses >= 8 or rng.random() < 0.01 else 0
        conn.execute(
            """INSERT INTO cards (id, deck_id, key, kind, front, back, tags, position, state,
                   stability, difficulty, due, last_review, interval_days, reps, lapses,
                   suspended, created_at, updated_at)
               VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (card_id, deck, f"c{card_id}", f"Question {card_id}", f"Answer {card_id}", tags,
             position, state, s, d, due, rows[-1][0], ivl, len(rows), lapses, suspended,
             start * DAY, now),
        )
        for t, rating, before in rows:
            logs.append((t * 1000 + rng.randrange(1000), card_id, rating, before,
                         min(60_000, int(rng.lognormvariate(8.8, 0.6)))))
    # A batch of never-seen cards for the "new" count.
    for _ in range(2000):
        card_id += 1
        position += 1
        conn.execute(
            """INSERT INTO cards (id, deck_id, key, kind, front, back, position, created_at,
                   updated_at) VALUES (?, ?, ?, 0, 'New question', 'New answer', ?, ?, ?)""",
            (card_id, 1000 + card_id % 5, f"c{card_id}", position, now - DAY, now),
        )
    logs.sort()
    logs = logs[-args.reviews:]
    conn.executemany(
        """INSERT INTO reviews (card_id, reviewed_at, rating, state_before, elapsed_days,
               duration_ms, interval_secs, stability, difficulty, source)
           VALUES (?, ?, ?, ?, 0, ?, 86400, 1.0, 5.0, 'review')""",
        ((c, t, r, b, ms) for t, c, r, b, ms in logs),
    )
    # Interview prompts with typed answers, one a week per category.
    for i, cat in enumerate(CATEGORIES):
        card_id += 1
        conn.execute(
            """INSERT INTO cards (id, deck_id, key, kind, front, back, position, state, due,
                   created_at, updated_at) VALUES (?, 1000, ?, 1, ?, '', ?, 2, ?, ?, ?)""",
            (card_id, f"p{i}", f"Prompt {cat}", position + i, now + DAY, first_day * DAY, now),
        )
        conn.execute(
            """INSERT INTO prompts (card_id, category, talking_points, follow_ups,
                   time_limit_secs, tips) VALUES (?, ?, '[]', '[]', 120, '')""",
            (card_id, cat),
        )
        for week in range(int(args.years * 52)):
            at = (first_day + week * 7 + i) * DAY + 20 * 3600
            words = 40 + week // 2 + rng.randrange(30)
            metrics = {"word_count": words,
                       "fillers_per_100_words": round(max(0.0, 8 - week / 30 + rng.random()), 2)}
            conn.execute(
                """INSERT INTO answers (card_id, answered_at, text, elapsed_ms, metrics, rating)
                   VALUES (?, ?, 'answer', 90000, ?, ?)""",
                (card_id, at * 1000, json.dumps(metrics), rng.choice((2, 3, 3, 4))),
            )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    n = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    c = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    conn.close()
    print(f"{path}: {n} reviews, {c} cards")
    return 0


if __name__ == "__main__":
    sys.exit(main())
