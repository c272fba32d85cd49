#!/usr/bin/env python3
"""Benchmark data for alt-prep (see BENCHMARKS.md). Not part of `cargo test`.

Subcommands:

  deck N OUTDIR          write OUTDIR/deck-N.toml and OUTDIR/deck-N.csv: the same N cards
                         (deck id `bench`), realistic text lengths, English and Japanese.
  fill DB NOW_EPOCH      give the `bench` cards of an alt-prep database (already holding the
                         imported deck) a spread of scheduling states and about ten reviews
                         each (10 x N `reviews` rows), with Python's sqlite3, in one
                         transaction; then `PRAGMA wal_checkpoint(TRUNCATE)`. No ANALYZE
                         (alt-prep never runs it).
  anki-fill COL N        the same spread, in Anki's own tables, for an Anki collection that
                         already holds the N imported notes (used for the Anki baseline).

Everything is seeded: the same N gives the same files and the same database content.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import sys
import time
from pathlib import Path

DAY = 86_400

# Text pools: short ALT-flavoured phrases; fronts up to 120 chars, backs up to 240 chars
# (mean about 60 and 70 characters: a 100,000-card CSV is about 17 MB).
EN = (
    "What do you say when you enter the staff room in the morning",
    "How do you ask the JTE whether the lesson plan has changed",
    "Which phrase do students use to greet the teacher at the start of class",
    "What is the name of the school event held in autumn with races and dances",
    "How should you address the vice principal",
    "What do you do if a student is sleeping in class",
    "How do you politely decline an enkai invitation",
    "What is expected during cleaning time after lunch",
    "Where do you put your outdoor shoes",
    "How do you ask for nenkyu (paid leave)",
    "What is the difference between a base school and a visit school",
    "How do you introduce yourself at the opening ceremony",
    "Explain the role of the board of education supervisor",
    "What is omiyage and when should you bring it",
)
JA = (
    "おはようございます。今日もよろしくお願いします。",
    "失礼します。",
    "お先に失礼します。",
    "授業の計画は変わりましたか？",
    "起立、礼、着席。",
    "運動会",
    "教頭先生",
    "年次休暇をいただいてもよろしいでしょうか。",
    "掃除の時間",
    "上履きに履き替えてください。",
    "本校と訪問校",
    "教育委員会の指導主事",
    "お土産",
    "お疲れ様でした。",
)
FILL = (
    "Remember that schools differ, so ask your supervisor.",
    "Use polite form (desu/masu) with colleagues you do not know well.",
    "Most JTEs appreciate being asked before class rather than during it.",
    "Bring something small from your home town.",
    "It is fine to ask again if you did not understand.",
)
TAGS = ("jet", "school", "keigo", "staff-room", "classroom", "events", "travel", "daily")


def text(rng: random.Random, lo: int, hi: int, pools) -> str:
    target = int(rng.triangular(lo, hi, lo + (hi - lo) * 0.15))
    parts: list[str] = []
    size = 0
    while size < target:
        s = rng.choice(rng.choice(pools))
        parts.append(s)
        size += len(s) + 1
    out = " ".join(parts)
    if len(out) > target:  # cut at a word boundary near the target length
        cut = out.rfind(" ", 0, target + 1)
        out = out[: cut if cut > target // 2 else target]
    return out


def cards(n: int):
    rng = random.Random(1000 + n)
    for i in range(n):
        # fronts are unique (the CSV format derives card ids from them)
        front = f"[{i + 1}] " + text(rng, 15, 120, (EN, EN, JA)).rstrip() + "?"
        back = text(rng, 5, 240, (JA, JA, FILL))
        tags = rng.sample(TAGS, rng.choice((0, 1, 1, 2, 3)))
        yield f"c{i:06d}", front, back, tags


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_deck(n: int, outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    toml_path = outdir / f"deck-{n}.toml"
    csv_path = outdir / f"deck-{n}.csv"
    with open(toml_path, "w", encoding="utf-8") as t, open(
        csv_path, "w", encoding="utf-8", newline=""
    ) as c:
        t.write('id = "bench"\nname = "Bench"\ndescription = "Generated benchmark deck."\n')
        w = csv.writer(c)
        w.writerow(["front", "back", "tags"])
        for key, front, back, tags in cards(n):
            t.write(
                f"\n[[card]]\nid = {toml_str(key)}\nfront = {toml_str(front)}\n"
                f"back = {toml_str(back)}\n"
            )
            if tags:
                t.write("tags = [" + ", ".join(toml_str(x) for x in tags) + "]\n")
            w.writerow([front, back, " ".join(tags)])
    print(f"wrote {toml_path} and {csv_path}")


# ----------------------------------------------------------------------------- scheduling


def plan(n_cards: int, now: int, seed: int):
    """Per card: (state, step, stability, difficulty, due, last_review, interval_days, reps,
    lapses, suspended, review_times) with review times increasing and before `now`.
    About 10 reviews per card in all (exactly 10 * n_cards)."""
    rng = random.Random(seed)
    out = []
    counts = []
    for _ in range(n_cards):
        r = rng.random()
        # 15 % new, 1 % learning, 82 % review, 2 % relearning
        if r < 0.15:
            state = 0
        elif r < 0.16:
            state = 1
        elif r < 0.98:
            state = 2
        else:
            state = 3
        out.append([state])
        counts.append(0 if state == 0 else (1 if state == 1 and rng.random() < 0.5 else 0))
    # Spread exactly 10 * n reviews over the studied cards, more for review/relearning cards.
    studied = [i for i, c in enumerate(out) if c[0] != 0]
    total = 10 * n_cards
    remaining = total - sum(counts)
    weights = [3.0 if out[i][0] in (2, 3) else 0.5 for i in studied]
    wsum = sum(weights)
    for i, w in zip(studied, weights):
        k = int(remaining * w / wsum)
        counts[i] += k
    short = total - sum(counts)
    for j in range(short):
        counts[studied[j % len(studied)]] += 1
    for i, row in enumerate(out):
        state = row[0]
        k = counts[i]
        suspended = 1 if rng.random() < 0.01 else 0
        if state == 0:
            row[:] = [0, 0, None, None, 0, None, 0, 0, 0, suspended, []]
            continue
        lapses = 0
        # Every review is from an earlier study day (none today), so the daily limits are
        # untouched: `last` is at least 20 hours before NOW (the day starts at 4 am).
        if state == 1:
            step = rng.randint(0, 1)
            last = now - rng.randint(20 * 3600, 3 * DAY)
            due = last + (60 if step == 0 else 600)
            stability = rng.uniform(0.2, 3.0)
            interval = 0
        elif state == 2:
            step = 0
            due = now + rng.randint(-60 * DAY, 60 * DAY)
            interval = min(365, max(1, int(rng.lognormvariate(2.5, 1.0))))
            last = due - interval * DAY
            if last > now - 20 * 3600:
                last = now - rng.randint(20 * 3600, 30 * DAY)
                interval = max(1, (due - last) // DAY)
            stability = interval * rng.uniform(0.9, 1.3)
            lapses = min(k // 6, rng.choice((0, 0, 0, 1, 2)))
        else:
            step = 0
            last = now - rng.randint(20 * 3600, 3 * DAY)
            due = last + 600
            stability = rng.uniform(0.5, 10.0)
            interval = 0
            lapses = max(1, min(k // 4, rng.randint(1, 4)))
        difficulty = rng.uniform(1.0, 10.0)
        # review times: k times ending at `last`, going back with growing gaps
        times = []
        t = last
        for j in range(k):
            times.append(t)
            gap = int(DAY * min(60, 1.6 ** (k - j - 1)) * rng.uniform(0.5, 1.5))
            t -= max(60, gap)
        times.reverse()
        row[:] = [state, step, stability, difficulty, due, last, interval, k, lapses, suspended, times]
    return out


def review_rows(card_id: int, p, rng: random.Random):
    state, _, stab_end, diff_end, _, _, _, _, lapses, _, times = p
    k = len(times)
    state_before = 0
    stab = 0.5
    diff = diff_end
    prev = None
    for j, t in enumerate(times):
        r = rng.random()
        rating = 3 if r < 0.78 else (1 if r < 0.88 else (2 if r < 0.95 else 4))
        if state == 3 and j == k - 1:
            rating = 1
        nxt = times[j + 1] if j + 1 < k else p[4]
        interval_secs = max(60, nxt - t)
        elapsed_days = 0 if prev is None else max(0, (t - prev) // DAY)
        stab = stab_end if j == k - 1 else max(0.1, min(36500.0, stab * rng.uniform(1.2, 2.5)))
        yield (
            card_id,
            t * 1000 + rng.randint(0, 999),
            rating,
            state_before,
            elapsed_days,
            rng.randint(1500, 25000),
            interval_secs,
            stab,
            min(10.0, max(1.0, diff + rng.uniform(-0.5, 0.5))),
            "review",
        )
        prev = t
        if j == 0:
            state_before = 1
        elif rating == 1 and state_before == 2:
            state_before = 3
        else:
            state_before = 2


def fill(db: str, now: int) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    # Generation only: a big page cache (the 1M-row insert touches ~150 MB of b-tree pages)
    # and no fsync. The file stays in WAL mode, as alt-prep left it.
    conn.execute("PRAGMA cache_size = -1000000")
    conn.execute("PRAGMA synchronous = OFF")
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT cards.id FROM cards JOIN decks ON decks.id = cards.deck_id "
            "WHERE decks.key = 'bench' ORDER BY cards.position"
        )
    ]
    n = len(ids)
    t0 = time.perf_counter()
    plans = plan(n, now, seed=4242 + n)
    rng = random.Random(99 + n)
    conn.execute("BEGIN")
    conn.executemany(
        "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
        "last_review = ?, interval_days = ?, reps = ?, lapses = ?, suspended = ? WHERE id = ?",
        ((p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], cid) for cid, p in zip(ids, plans)),
    )
    # In time order, as alt-prep writes them: review ids grow with time, and the
    # reviews_time index and any summary kept by triggers are appended to, not scattered.
    rows = [row for cid, p in zip(ids, plans) for row in review_rows(cid, p, rng)]
    rows.sort(key=lambda r: r[1])
    t1 = time.perf_counter()
    conn.executemany(
        "INSERT INTO reviews (card_id, reviewed_at, rating, state_before, elapsed_days, "
        "duration_ms, interval_secs, stability, difficulty, source) VALUES (?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.execute("COMMIT")
    t2 = time.perf_counter()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    t3 = time.perf_counter()
    reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    by_state = conn.execute(
        "SELECT state, count(*) FROM cards JOIN decks ON decks.id = cards.deck_id "
        "WHERE decks.key = 'bench' GROUP BY 1"
    ).fetchall()
    conn.close()
    print(
        f"filled {n} cards, {reviews} reviews; states {dict(by_state)} "
        f"(python {t1 - t0:.1f} s, sqlite {t2 - t1:.1f} s, checkpoint {t3 - t2:.1f} s)"
    )


def anki_fill(col_path: str, n: int) -> None:
    """The same spread in an Anki collection (schema 18): cards.type/queue/due/ivl/
    factor/reps/lapses/data (FSRS memory state) and `revlog`. Anki's clock cannot be fixed,
    so dates are relative to the real today; `due` of review cards is a day number."""
    from anki.collection import Collection

    col = Collection(col_path)
    today = col.sched.today
    col.close()
    now = int(time.time())
    conn = sqlite3.connect(col_path, isolation_level=None)
    ids = [r[0] for r in conn.execute("SELECT id FROM cards ORDER BY due, id")]
    plans = plan(len(ids), now, seed=4242 + n)
    rng = random.Random(99 + n)
    rows = []
    for cid, p in zip(ids, plans):
        state, step, stab, diff, due, last, ivl, reps, lapses, susp, _ = p
        if state == 0:
            continue
        if state == 2:
            ctype, queue, adue = 2, 2, today + (due - now) // DAY
        else:  # learning / relearning: intraday, epoch seconds
            ctype, queue, adue = (1 if state == 1 else 3), 1, due
        if susp:
            queue = -1
        data = '{"s":%.4f,"d":%.4f,"dr":0.9,"lrt":%d}' % (stab, diff, last)
        rows.append((ctype, queue, adue, ivl, 2500, reps, lapses, (2 - step) if state != 2 else 0, data, cid))
    conn.execute("BEGIN")
    conn.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, "
        "lapses = ?, left = ?, data = ? WHERE id = ?",
        rows,
    )
    seen: set[int] = set()

    def revlog():
        for cid, p in zip(ids, plans):
            for r in review_rows(cid, p, rng):
                rid = r[1]
                while rid in seen:
                    rid += 1
                seen.add(rid)
                # id (ms), cid, usn, ease, ivl, lastIvl, factor, time, type
                yield (rid, cid, -1, r[2], max(1, r[6] // DAY), 0, 2500, r[5], min(r[3], 3))

    conn.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", revlog())
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print("anki: filled", len(rows), "cards,", conn.execute("SELECT count(*) FROM revlog").fetchone()[0], "revlog rows")
    conn.close()


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "deck":
        write_deck(int(argv[1]), Path(argv[2]))
    elif len(argv) == 3 and argv[0] == "fill":
        fill(argv[1], int(argv[2]))
    elif len(argv) == 3 and argv[0] == "anki-fill":
        anki_fill(argv[1], int(argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
