#!/usr/bin/env python3
"""Golden test data for alt-prep's FSRS-6 scheduler.

An independent, plain-Python (float64, no numpy) transcription of the FSRS-6
memory model as the `fsrs` crate 6.x (fsrs-rs) computes it, with the 21 default
parameters. It is the source of tests/fixtures/fsrs_golden.json.

What the model does (w = the 21 parameters, G = rating 1..4, t = elapsed days):

* R(t, S)      = (1 + factor * t / S) ^ decay, decay = -w20, factor = 0.9^(1/decay) - 1
* I(r, S)      = S / factor * (r^(1/decay) - 1)            (unrounded days)
* S0(G)        = w[G-1];  D0(G) = w4 - e^(w5*(G-1)) + 1      (D0 clamped to [1, 10])
* D update     = D' = D - w6*(G-3) * (10-D)/9;  D'' = w7*D0(4) + (1-w7)*D'  with
                 the UNCLAMPED D0(4), then clamp to [1, 10]
* success      = S * (1 + e^w8 * (11-D) * S^-w9 * (e^(w10*(1-R)) - 1) * h * b),
                 h = w15 for Hard, b = w16 for Easy
* failure      = min(w11 * D^-w12 * ((S+1)^w13 - 1) * e^(w14*(1-R)), S / e^(w17*w18))
* same day     = (delta_t == 0) S * SInc, SInc = e^(w17*(G-3+w18)) * S^-w19,
                 SInc floored at 1 for G >= 2 (fsrs-rs 6.x; Hard included)
* S is clamped to [0.001, 36500], D to [1, 10].

Before writing anything the script asserts that the transcription reproduces the
reference vectors of shared/reference/scheduling.md section 1.3 to 1e-4, and, if
py-fsrs (`pip install fsrs`) is importable, that py-fsrs's Scheduler gives the
same S/D after every review on sequences where the two models agree.

Usage:  python3 tools/fsrs_golden.py [--no-pyfsrs] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

# fsrs-rs DEFAULT_PARAMETERS (FSRS-6), identical in fsrs 6.6.2 and py-fsrs.
PARAMETERS = [
    0.212, 1.2931, 2.3065, 8.2956,
    6.4133, 0.8334, 3.0194, 0.001,
    1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483,
    0.6014, 1.8729,
    0.5425, 0.0912, 0.0658,
    0.1542,
]
DESIRED_RETENTION = 0.9
SEED = 20261128

S_MIN, S_MAX = 0.001, 36500.0
D_MIN, D_MAX = 1.0, 10.0
MAX_INTERVAL = 36500

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

W = PARAMETERS


def clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


# ---------------------------------------------------------------- the model

def decay() -> float:
    return -W[20]


def factor() -> float:
    return 0.9 ** (1.0 / decay()) - 1.0


def retrievability(t: float, s: float) -> float:
    return (1.0 + factor() * t / s) ** decay()


def next_interval(s: float, r: float = DESIRED_RETENTION) -> float:
    """Unrounded interval in days, like fsrs-rs `next_interval`."""
    return s / factor() * (r ** (1.0 / decay()) - 1.0)


def init_stability(g: int) -> float:
    return clamp(W[g - 1], S_MIN, S_MAX)


def init_difficulty_raw(g: int) -> float:
    return W[4] - math.exp(W[5] * (g - 1)) + 1.0


def init_difficulty(g: int) -> float:
    return clamp(init_difficulty_raw(g), D_MIN, D_MAX)


def next_difficulty(d: float, g: int) -> float:
    delta = -W[6] * (g - 3)
    damped = d + delta * (10.0 - d) / 9.0
    reverted = W[7] * init_difficulty_raw(EASY) + (1.0 - W[7]) * damped
    return clamp(reverted, D_MIN, D_MAX)


def stability_after_success(s: float, d: float, r: float, g: int) -> float:
    h = W[15] if g == HARD else 1.0
    b = W[16] if g == EASY else 1.0
    return s * (1.0 + math.exp(W[8]) * (11.0 - d) * s ** (-W[9])
                * (math.exp(W[10] * (1.0 - r)) - 1.0) * h * b)


def stability_after_failure(s: float, d: float, r: float) -> float:
    long_term = (W[11] * d ** (-W[12]) * ((s + 1.0) ** W[13] - 1.0)
                 * math.exp(W[14] * (1.0 - r)))
    return min(long_term, s / math.exp(W[17] * W[18]))


def stability_short_term(s: float, g: int) -> float:
    sinc = math.exp(W[17] * (g - 3 + W[18])) * s ** (-W[19])
    if g >= HARD:  # fsrs-rs 6.x: floor for Hard, Good and Easy
        sinc = max(sinc, 1.0)
    return s * sinc


def step(state: tuple[float, float] | None, delta_t: int, g: int) -> tuple[float, float]:
    """One review. state=None means a new card (first review)."""
    if not 1 <= g <= 4:
        raise ValueError(f"rating {g}")
    if state is None:
        return init_stability(g), init_difficulty(g)
    s = clamp(state[0], S_MIN, S_MAX)
    d = clamp(state[1], D_MIN, D_MAX)
    if delta_t == 0:
        new_s = stability_short_term(s, g)
    else:
        r = retrievability(delta_t, s)
        new_s = stability_after_failure(s, d, r) if g == AGAIN else stability_after_success(s, d, r, g)
    return clamp(new_s, S_MIN, S_MAX), next_difficulty(d, g)


def replay(reviews: list[tuple[int, int]]) -> list[tuple[float, float]]:
    state = None
    out = []
    for delta, g in reviews:
        state = step(state, delta, g)
        out.append(state)
    return out


# ---------------------------------------------------------------- fuzz range (py-fsrs / Anki)

FUZZ_RANGES = [(2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, math.inf, 0.05)]


def round_half_away(x: float) -> int:
    """Rust's f64::round (ties away from zero)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def fuzz_range(interval: float) -> dict:
    """Allowed fuzzed interval [min, max] (section 1.4). Pick inside it with
    floor(min + u * (max - min + 1)), u in [0, 1). py-fsrs 6.3.x rounds instead of
    flooring, so it returns max + 1 about 1 time in 2(max - min + 1) (e.g. 13 for I=10)."""
    if interval < 2.5:
        n = round_half_away(interval)
        return {"interval": interval, "fuzzed": False, "delta": 0.0, "min": n, "max": n}
    delta = 1.0
    for start, end, fac in FUZZ_RANGES:
        delta += fac * max(min(interval, end) - start, 0.0)
    # py-fsrs uses Python's round (ties to even), Rust f64::round ties away from
    # zero: make sure no listed interval lands where the two would differ.
    for x in (interval - delta, interval + delta):
        assert round(x) == round_half_away(x) or max(round(x), round_half_away(x)) <= 2, x
    lo = max(2, round_half_away(interval - delta))
    hi = min(round_half_away(interval + delta), MAX_INTERVAL)
    return {"interval": interval, "fuzzed": True, "delta": delta, "min": min(lo, hi), "max": hi}


# ---------------------------------------------------------------- section 1.3 checks

TOL = 1e-4

REF_NEW = {AGAIN: (0.2120, 6.4133), HARD: (1.2931, 5.1122), GOOD: (2.3065, 2.1181), EASY: (8.2956, 1.0000)}
REF_SAME_DAY = {AGAIN: (0.7751, 7.3945), HARD: (2.3065, 4.7529), GOOD: (2.3065, 2.1112), EASY: (3.9461, 1.0000)}
REF_T3 = {AGAIN: (0.6369, 7.3945), HARD: (9.2349, 4.7529), GOOD: (13.8269, 2.1112), EASY: (23.8831, 1.0000)}
REF_S10_D5_T10 = {AGAIN: (1.3920, 8.3418), HARD: (23.2469, 6.6660), GOOD: (32.0267, 4.9902), EASY: (51.2539, 3.3145)}
# Good@0, Good@1, Good@3, Again@8, Good@0, Good@2: the numbers are the elapsed days
# since the previous review (delta_t), as fsrs-rs FSRSReview.delta_t takes them.
REF_HISTORY = [(0, GOOD), (1, GOOD), (3, GOOD), (8, AGAIN), (0, GOOD), (2, GOOD)]
REF_HISTORY_END = (5.3500, 7.3657)
REF_INTERVAL_S10 = {0.80: 33.1596, 0.85: 19.0642, 0.90: 10.0000, 0.95: 4.0256}
REF_RATIO = {0.7: 9.288, 0.8: 3.316, 0.85: 1.906, 0.95: 0.403, 0.97: 0.223}  # 3 decimals
REF_R_S10 = {1: 0.9857, 10: 0.9000, 20: 0.8459, 100: 0.6928}
REF_D0_EASY_RAW = -4.7716
REF_FACTOR = 0.980346


def close(a: float, b: float, tol: float = TOL) -> bool:
    return abs(a - b) <= tol


def check_reference() -> int:
    n = 0

    def expect(label: str, got: tuple[float, float], want: tuple[float, float]) -> None:
        nonlocal n
        assert close(got[0], want[0]) and close(got[1], want[1]), (
            f"{label}: got S={got[0]:.6f} D={got[1]:.6f}, want S={want[0]} D={want[1]}")
        n += 1

    assert close(factor(), REF_FACTOR, 1e-6), factor()
    assert close(init_difficulty_raw(EASY), REF_D0_EASY_RAW), init_difficulty_raw(EASY)
    n += 2
    after_good = step(None, 0, GOOD)
    for g in (AGAIN, HARD, GOOD, EASY):
        expect(f"new card G={g}", step(None, 0, g), REF_NEW[g])
        expect(f"same day G={g}", step(after_good, 0, g), REF_SAME_DAY[g])
        expect(f"t=3 G={g}", step(after_good, 3, g), REF_T3[g])
        expect(f"S=10 D=5 t=10 G={g}", step((10.0, 5.0), 10, g), REF_S10_D5_T10[g])
    expect("history", replay(REF_HISTORY)[-1], REF_HISTORY_END)
    for r, want in REF_INTERVAL_S10.items():
        got = next_interval(10.0, r)
        assert close(got, want), f"next_interval(10, {r}) = {got}, want {want}"
        n += 1
    for r, want in REF_RATIO.items():
        got = next_interval(1.0, r)
        assert close(got, want, 5e-4), f"I/S at DR {r} = {got}, want {want}"
        n += 1
    for t, want in REF_R_S10.items():
        got = retrievability(t, 10.0)
        assert close(got, want), f"R({t}, 10) = {got}, want {want}"
        n += 1
    for s in (0.001, 0.5, 2.3065, 10.0, 123.4, 36500.0):  # R(S,S) = 0.9, I(0.9,S) = S
        assert close(retrievability(s, s), 0.9, 1e-12) and close(next_interval(s), s, 1e-9 * s)
        n += 1
    for ivl, lo, hi in ((3, 2, 4), (10, 8, 12), (100, 93, 107)):  # section 1.4 examples
        f = fuzz_range(ivl)
        assert (f["min"], f["max"]) == (lo, hi), (ivl, f)
        n += 1
    assert close(fuzz_range(10)["delta"], 1.975, 1e-12) and close(fuzz_range(100)["delta"], 6.975, 1e-12)
    return n + 1


# ---------------------------------------------------------------- py-fsrs cross-check

def pyfsrs_replay(reviews: list[tuple[int, int]]):
    """S/D after each review from py-fsrs's Scheduler, reviews exactly N*24h apart."""
    from datetime import datetime, timedelta, timezone

    import fsrs as pyfsrs

    sched = pyfsrs.Scheduler(parameters=PARAMETERS, desired_retention=DESIRED_RETENTION,
                             enable_fuzzing=False)
    card = pyfsrs.Card()
    now = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    out = []
    for i, (delta, g) in enumerate(reviews):
        if i > 0:
            now = now + timedelta(days=delta)
        card, _ = sched.review_card(card, pyfsrs.Rating(g), review_datetime=now)
        out.append((card.stability, card.difficulty))
    return out, sched


def cross_check_pyfsrs(sequences: list[list[tuple[int, int]]]) -> dict:
    """Compare on every sequence where py-fsrs and fsrs-rs 6.x share the math.

    Comparable: any gap >= 1 day; same-day (gap 0) Again/Good/Easy; same-day Hard
    only if the installed py-fsrs floors SInc for Hard (py-fsrs 6.3.2 does, 6.3.1
    does not). Not comparable: S above 36500 (py-fsrs has no upper clamp).
    """
    import importlib.metadata

    version = importlib.metadata.version("fsrs")
    probe_rs = stability_short_term(2.3065, HARD)
    probe_py = pyfsrs_replay([(0, GOOD), (0, HARD)])[0][1][0]
    hard_floored = close(probe_rs, probe_py, 1e-9)

    report = {"version": version, "hard_same_day_floored": hard_floored, "sequences": 0,
              "reviews": 0, "long_gap_only_sequences": 0, "max_abs_diff": 0.0,
              "max_rel_diff": 0.0, "intervals_compared": 0, "s_max_sequences": 0}
    for reviews in sequences:
        same_day_hard = any(i > 0 and d == 0 and g == HARD for i, (d, g) in enumerate(reviews))
        if same_day_hard and not hard_floored:
            continue
        ours = replay(reviews)
        theirs, sched = pyfsrs_replay(reviews)
        if any(s >= S_MAX for s, _ in ours):
            # py-fsrs has no upper clamp: equal up to the first clamped review,
            # then py-fsrs goes above 36500.
            k = next(i for i, (s, _) in enumerate(ours) if s >= S_MAX)
            for (s1, d1), (s2, d2) in zip(ours[:k], theirs[:k]):
                assert close(s1, s2) and close(d1, d2), (reviews, s1, s2)
            assert theirs[k][0] > S_MAX and close(ours[k][1], theirs[k][1])
            report["s_max_sequences"] += 1
            report["s_max_example"] = report.get("s_max_example") or (theirs[k][0], ours[k][0])
            continue
        for i, ((s1, d1), (s2, d2)) in enumerate(zip(ours, theirs)):
            diff = max(abs(s1 - s2), abs(d1 - d2))
            assert diff <= TOL, f"py-fsrs {version} disagrees on {reviews} at review {i}: " \
                                f"ours S={s1} D={d1}, py-fsrs S={s2} D={d2}"
            report["max_abs_diff"] = max(report["max_abs_diff"], diff)
            report["max_rel_diff"] = max(report["max_rel_diff"], abs(s1 - s2) / s1)
            # py-fsrs rounds the interval to whole days, at least 1, at most 36500.
            want = min(max(round(next_interval(s1)), 1), MAX_INTERVAL)
            if abs(next_interval(s1) - math.floor(next_interval(s1)) - 0.5) > 1e-6:
                assert sched._next_interval(stability=s2) == want
                report["intervals_compared"] += 1
        report["sequences"] += 1
        report["reviews"] += len(reviews)
        if all(d >= 1 for d, _ in reviews[1:]):
            report["long_gap_only_sequences"] += 1

    # The one place the current py-fsrs could differ by design: same-day Hard.
    report["same_day_hard_probe"] = {"fsrs_rs_6": probe_rs, "py_fsrs": probe_py}
    return report


# ---------------------------------------------------------------- sequence generation

RATINGS = [AGAIN, HARD, GOOD, EASY]
RATING_WEIGHTS = [15, 10, 60, 15]


def random_sequence(rng: random.Random) -> list[tuple[int, int]]:
    """Lengths 1-15; ratings ~15/10/60/15 %; first delta 0, then ~30 % same day,
    ~8 % long gaps (30-400 days), otherwise an integer drawn from a triangular
    distribution on [1, 2*I] with mode I = next_interval(S, 0.9) of the state
    before the review (so both early and overdue reviews occur), at least 1."""
    length = rng.randint(1, 15)
    reviews: list[tuple[int, int]] = []
    state = None
    for i in range(length):
        g = rng.choices(RATINGS, RATING_WEIGHTS)[0]
        if i == 0:
            delta = 0
        else:
            u = rng.random()
            if u < 0.30:
                delta = 0
            elif u < 0.38:
                delta = rng.randint(30, 400)
            else:
                ivl = next_interval(state[0])
                hi = max(1.0, 2.0 * ivl)
                delta = max(1, round_half_away(rng.triangular(1.0, hi, min(max(ivl, 1.0), hi))))
        reviews.append((delta, g))
        state = step(state, delta, g)
    return reviews


def long_gap_sequence(rng: random.Random) -> list[tuple[int, int]]:
    """For the py-fsrs cross-check only: every gap >= 1 day, any rating."""
    reviews = [(0, rng.choices(RATINGS, RATING_WEIGHTS)[0])]
    state = step(None, 0, reviews[0][1])
    for _ in range(rng.randint(1, 14)):
        g = rng.choices(RATINGS, RATING_WEIGHTS)[0]
        if rng.random() < 0.1:
            delta = rng.randint(30, 400)
        else:
            delta = max(1, round_half_away(rng.uniform(0.3, 2.0) * next_interval(state[0])))
        reviews.append((delta, g))
        state = step(state, delta, g)
    return reviews


def reference_sequences() -> list[tuple[str, list[tuple[int, int]]]]:
    out = []
    for g in RATINGS:
        out.append((f"1.3 new card, rating {g}", [(0, g)]))
    for g in RATINGS:
        out.append((f"1.3 after first Good, same day, rating {g}", [(0, GOOD), (0, g)]))
    for g in RATINGS:
        out.append((f"1.3 after first Good, t=3, rating {g}", [(0, GOOD), (3, g)]))
    out.append(("1.3 history Good@0 Good@1 Good@3 Again@8 Good@0 Good@2", list(REF_HISTORY)))
    return out


def edge_sequences() -> list[tuple[str, list[tuple[int, int]]]]:
    """Hand-made cases for the clamps and the same-day rules."""
    out = []
    reviews, state = [(0, EASY)], step(None, 0, EASY)
    for _ in range(6):  # Easy at twice the interval each time, until S hits 36500
        dt = max(1, round_half_away(2.0 * next_interval(state[0])))
        reviews.append((dt, EASY))
        state = step(state, dt, EASY)
    reviews += [(73000, GOOD), (400, AGAIN), (0, GOOD)]
    out.append(("edge: S clamped at 36500 (overdue Easy), then Good, Again, same-day Good", reviews))
    out.append(("edge: S clamped at 0.001 (same-day Again, SInc not floored)",
                [(0, AGAIN)] + [(0, AGAIN)] * 9 + [(1, GOOD)]))
    out.append(("edge: repeated lapses a day apart, D near 10",
                [(0, AGAIN)] + [(1, AGAIN)] * 8 + [(1, GOOD)]))
    out.append(("edge: same-day Hard keeps S (SInc floored at 1, fsrs-rs 6.x)",
                [(0, GOOD), (0, HARD), (0, HARD), (0, AGAIN), (0, HARD), (1, HARD), (0, EASY), (0, HARD)]))
    out.append(("edge: Easy from D=1 stays at 1; Hard/Again raise D",
                [(0, EASY), (0, EASY), (9, EASY), (30, HARD), (40, EASY), (100, AGAIN)]))
    return out


# ---------------------------------------------------------------- output

def r6(x: float) -> float:
    return round(x, 6)


def seq_json(reviews, name: str | None = None) -> dict:
    states = replay(reviews)
    d = {}
    if name:
        d["name"] = name
    d["reviews"] = [{"delta_days": dt, "rating": g} for dt, g in reviews]
    d["states"] = [{"stability": r6(s), "difficulty": r6(dd)} for s, dd in states]
    return d


def dump(doc: dict) -> str:
    """One sequence / entry per line: compact, yet diffable and readable."""
    def j(x):
        return json.dumps(x, separators=(", ", ": "))

    lines = ["{"]
    keys = list(doc)
    for k_i, key in enumerate(keys):
        val = doc[key]
        comma = "," if k_i < len(keys) - 1 else ""
        if isinstance(val, list) and val and isinstance(val[0], dict):
            lines.append(f"  {j(key)}: [")
            for i, item in enumerate(val):
                lines.append(f"    {j(item)}" + ("," if i < len(val) - 1 else ""))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {j(key)}: {j(val)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def build(rng: random.Random, n_random: int = 185) -> tuple[dict, list]:
    refs = reference_sequences() + edge_sequences()
    randoms = [random_sequence(rng) for _ in range(n_random)]
    sequences = [seq_json(r, name) for name, r in refs] + [seq_json(r) for r in randoms]

    steps = []
    for g in RATINGS:
        s, d = step((10.0, 5.0), 10, g)
        steps.append({"name": "1.3 S=10 D=5 t=10", "stability": 10.0, "difficulty": 5.0,
                      "delta_days": 10, "rating": g, "next": {"stability": r6(s), "difficulty": r6(d)}})

    intervals = []
    for s in (0.212, 1.0, 2.3065, 10.0, 100.0, 1234.5):
        for r in (0.7, 0.8, 0.85, 0.9, 0.95, 0.97):
            intervals.append({"stability": s, "desired_retention": r, "interval": r6(next_interval(s, r))})

    retr = []
    for s in (0.212, 2.3065, 10.0, 365.0):
        for t in (0, 1, 3, 10, 20, 100, 1000):
            retr.append({"stability": s, "elapsed_days": t, "retrievability": r6(retrievability(t, s))})

    fuzz = []
    for ivl in (1, 2, 2.5, 3, 5, 7, 10, 20, 21, 50, 100, 365, 1000, 36500):
        f = fuzz_range(float(ivl))
        f["interval"] = ivl
        f["delta"] = r6(f["delta"])
        fuzz.append(f)

    doc = {
        "parameters": PARAMETERS,
        "desired_retention": DESIRED_RETENTION,
        "generator": "tools/fsrs_golden.py (seed 20261128); FSRS-6 as fsrs 6.6.2 computes it, "
                     "float64, values rounded to 6 decimals",
        "sequences": sequences,
        "steps": steps,
        "next_interval": intervals,
        "retrievability": retr,
        "fuzz": fuzz,
    }
    return doc, [r for _, r in refs] + randoms


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent
                                         / "tests" / "fixtures" / "fsrs_golden.json"))
    ap.add_argument("--no-pyfsrs", action="store_true", help="skip the py-fsrs cross-check")
    args = ap.parse_args()

    n = check_reference()
    print(f"section 1.3 reference vectors: {n} checks passed (tolerance {TOL})")

    rng = random.Random(SEED)
    doc, all_sequences = build(rng)

    if not args.no_pyfsrs:
        try:
            import fsrs  # noqa: F401
        except ImportError:
            print("py-fsrs not installed (pip install fsrs): cross-check skipped")
        else:
            extra = [long_gap_sequence(random.Random(SEED + 1 + i)) for i in range(300)]
            rep = cross_check_pyfsrs(all_sequences + extra)
            print(f"py-fsrs {rep['version']}: {rep['sequences']} sequences / {rep['reviews']} reviews "
                  f"agree to {TOL} ({rep['long_gap_only_sequences']} with every gap >= 1 day); "
                  f"max |diff| {rep['max_abs_diff']:.2e}, max rel S diff {rep['max_rel_diff']:.2e}; "
                  f"{rep['intervals_compared']} rounded intervals equal")
            if rep["s_max_sequences"]:
                py_s, rs_s = rep["s_max_example"]
                print(f"  {rep['s_max_sequences']} sequences reach S=36500: they agree up to that review, "
                      f"then py-fsrs (no upper clamp) goes on, e.g. S={py_s:.1f} vs {rs_s:.1f}")
            p = rep["same_day_hard_probe"]
            print(f"  same-day Hard after first Good: fsrs-rs 6.x S={p['fsrs_rs_6']:.6f}, "
                  f"py-fsrs S={p['py_fsrs']:.6f} "
                  f"({'floored, compared' if rep['hard_same_day_floored'] else 'NOT floored, same-day Hard skipped'})")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump(doc))
    n_rev = sum(len(s["reviews"]) for s in doc["sequences"])
    print(f"wrote {out}: {len(doc['sequences'])} sequences, {n_rev} reviews, "
          f"{len(doc['fuzz'])} fuzz ranges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
