#!/usr/bin/env python3
"""Regenerate the import fixtures in tests/fixtures/import/.

The parsers in src/deck/ (apkg.rs, anki_text.rs) are tested against files made by the real
tools, not by hand, so that they see what learners will actually hand them:

* genanki (PyPI `genanki`) writes the old `collection.anki2`-only package that shared decks
  made by scripts still use;
* Anki's own Rust backend (PyPI `anki`) writes the current `.apkg` (zstd `collection.anki21b`,
  schema 18, protobuf `meta`), the "support older Anki versions" `.apkg` (`collection.anki21`,
  schema 11, plus a dummy `collection.anki2`), a `.colpkg`, and the plain-text exports.

CI never runs this script; the files it writes are committed. Run it by hand after
`pip install anki genanki` when a fixture needs to change:

    python3 tools/make_import_fixtures.py

Made with anki 26.9.3 and genanki 0.13.1. Generated files differ byte-for-byte between runs
(zip timestamps, Anki's note and card ids, the row order of the "Cards in Plain Text"
export), but their content does not: GUIDs and review-log times are fixed below so tests can
name them. Also written here: small malformed packages for the error paths.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import"

def package_script(fsrs: bool, body: str) -> str:
    """An Anki script (for `run_anki_script`) that first imports the package `argv[2]`, with
    scheduling, into the fresh collection `argv[1]` (FSRS on if `fsrs`), then runs `body`
    with `col`, `source` and `out` (`argv[3]`, the fixtures folder) set."""
    return f"""
import json, sys, time
from anki.collection import (Collection, ExportAnkiPackageOptions, ImportAnkiPackageOptions,
                             ImportAnkiPackageRequest)
path, source, out = sys.argv[1], sys.argv[2], sys.argv[3]
col = Collection(path)
col.set_config("fsrs", {fsrs})
col.import_anki_package(ImportAnkiPackageRequest(package_path=source,
    options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)))
""" + body


# Real Anki GUIDs are base91 and usually hold punctuation (`/`, `#`, `,` …), which card ids
# may not: the cloze note gets such a GUID so tests exercise the escaping.
CLOZE_GUID = "Cz#3/x,q!_"

# A fixed clock for review-log rows: 2025-04-01T00:00:00Z in ms.
T0 = 1_743_465_600_000
DAY = 86_400_000


def tiny_media(dir_: Path) -> list[str]:
    """Two few-byte stand-ins for media: the parsers only count media, never open it."""
    mp3 = dir_ / "konnichiwa.mp3"
    mp3.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00not really audio")
    png = dir_ / "school.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nnot really an image")
    return [str(mp3), str(png)]


# --------------------------------------------------------------------------- genanki


def make_genanki(tmp: Path) -> None:
    import genanki

    vocab = genanki.Model(
        1_607_392_319,
        "ALT Vocab",
        fields=[{"name": "Japanese"}, {"name": "Reading"}, {"name": "English"}],
        templates=[
            {
                "name": "Recognition",
                "qfmt": "{{Japanese}}{{#Reading}}<div class=hint>{{hint:Reading}}</div>{{/Reading}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{English}}<br>Deck: {{Deck}} / Tags: {{Tags}}",
            },
            {
                "name": "Production",
                "qfmt": "Say in Japanese: {{English}}{{^Reading}} (no reading given){{/Reading}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{text:Japanese}}{{#Reading}} ({{Reading}}){{/Reading}}",
            },
        ],
        css=".card { font-family: serif; }",
    )
    classroom = genanki.Deck(2_059_400_110, "ALT Prep::Classroom English")
    interview = genanki.Deck(2_059_400_111, "ALT Prep::Interview")

    # No guid: genanki derives a base91 one from the fields, as most generated decks do.
    classroom.add_note(
        genanki.Note(
            model=genanki.BASIC_MODEL,
            fields=["What does <b>ALT</b> stand for?", "Assistant&nbsp;Language Teacher"],
            tags=["jet", "basics"],
        )
    )
    classroom.add_note(
        genanki.Note(
            model=genanki.BASIC_AND_REVERSED_CARD_MODEL,
            fields=["起立", "Stand up (start of class)<br>[sound:konnichiwa.mp3]"],
            tags=["classroom"],
            guid="gA2rev0002",
        )
    )
    interview.add_note(
        genanki.Note(
            model=genanki.CLOZE_MODEL,
            fields=[
                "The JET Programme began in {{c1::1987}} and is run by {{c2::CLAIR::an organisation}}.",
                "<img src=\"school.png\">Extra: about 5,000 participants a year.",
            ],
            tags=["jet", "history"],
            guid="gA3cloze03",
        )
    )
    classroom.add_note(
        genanki.Note(model=vocab, fields=["先生", "せんせい", "teacher"], tags=["vocab"], guid="gA4vocab04")
    )
    classroom.add_note(
        genanki.Note(model=vocab, fields=["黒板", "", "blackboard"], tags=["vocab"], guid="gA5vocab05")
    )
    pkg = genanki.Package([classroom, interview], media_files=tiny_media(tmp))
    pkg.write_to_file(str(OUT / "genanki_mixed.apkg"), timestamp=1_700_000_000)


# --------------------------------------------------------------------------- anki


def build_collection(path: Path, with_reviews: bool):
    """A small collection: stock Basic, Basic (and reversed card), Cloze and a 3-field,
    2-template note type, in two subdecks, GUIDs fixed."""
    from anki.collection import Collection

    col = Collection(str(path))
    mm = col.models

    vocab = mm.new("ALT Vocab")
    for name in ("Japanese", "Reading", "English"):
        mm.add_field(vocab, mm.new_field(name))
    t1 = mm.new_template("Recognition")
    t1["qfmt"] = "{{Japanese}}{{#Reading}}<div>{{hint:Reading}}</div>{{/Reading}}"
    t1["afmt"] = "{{FrontSide}}\n\n<hr id=answer>\n\n{{English}}"
    mm.add_template(vocab, t1)
    t2 = mm.new_template("Production")
    t2["qfmt"] = "{{English}}{{type:Japanese}}"
    t2["afmt"] = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Japanese}}{{#Reading}} ({{Reading}}){{/Reading}}"
    mm.add_template(vocab, t2)
    mm.add(vocab)
    vocab = mm.by_name("ALT Vocab")

    classroom = col.decks.id("ALT Prep::Classroom English")
    interview = col.decks.id("ALT Prep::Interview")

    def add(model_name: str, deck: int, fields: list[str], tags: list[str], guid: str):
        note = col.new_note(mm.by_name(model_name))
        for i, value in enumerate(fields):
            note.fields[i] = value
        note.tags = tags
        note.guid = guid
        col.add_note(note, deck)
        return note

    add("Basic", classroom, ["What does <b>ALT</b> stand for?", "Assistant&nbsp;Language Teacher"],
        ["jet", "basics"], "kB1basic01")
    add("Basic (and reversed card)", classroom,
        ["起立", "Stand up (start of class)<br>[sound:konnichiwa.mp3]"], ["classroom"], "kB2rev0002")
    add("Cloze", interview,
        ["The JET Programme began in {{c1::1987}} and is run by {{c2::CLAIR::an organisation}}.",
         "<img src=\"school.png\">Extra: about 5,000 participants a year."],
        # A GUID in Anki's base91 alphabet, with the punctuation card ids may not hold.
        ["jet", "history"], CLOZE_GUID)
    add("ALT Vocab", classroom, ["先生", "せんせい", "teacher"], ["vocab"], "kB4vocab04")
    add("ALT Vocab", classroom, ["黒板", "", "blackboard"], ["vocab"], "kB5vocab05")
    add("Basic", interview, ["Tell us about yourself.", "Name, background, <i>why Japan</i>, one story."],
        ["interview", "self-intro"], "kB6basic06")

    for name in ("konnichiwa.mp3", "school.png"):
        col.media.write_data(name, (path.parent / name).read_bytes())

    if with_reviews:
        # Answer the first few queued cards for real, so revlog/cards rows are Anki's own.
        col.decks.select(col.decks.id("ALT Prep"))
        answered = []
        for ease in (3, 1, 3, 4, 2):
            card = col.sched.getCard()
            if card is None:
                break
            col.sched.answerCard(card, ease)
            answered.append(card.id)
        # A manual due-date change writes a revlog row with ease 0, type 4 (Manual):
        # importers must skip it.
        col.sched.set_due_date([answered[0]], "3")
        # Suspend the "Tell us about yourself." card (queue -1).
        cid = col.db.scalar(
            "select c.id from cards c join notes n on n.id = c.nid where n.guid = 'kB6basic06'")
        col.sched.suspend_cards([cid])
        # Fix review times and durations so tests can name them: in answer order, one day
        # apart from T0, durations 2 s, 3 s, ... (two passes, since ids are primary keys).
        rows = col.db.all("select id from revlog order by id")
        for i, (rid,) in enumerate(rows):
            col.db.execute("update revlog set id = ?, time = ? where id = ?",
                           -(i + 1), 1000 * (i + 2), rid)
        for i in range(len(rows)):
            col.db.execute("update revlog set id = ? where id = ?", T0 + i * DAY, -(i + 1))
        # A rescheduled row (type 5, ease 0), as FSRS "reschedule cards" writes.
        col.db.execute(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
            "values (?, ?, -1, 0, 10, 1, 2500, 0, 5)", T0 + 30 * DAY, answered[0])
    return col


def make_anki(tmp: Path) -> None:
    from anki.collection import ExportAnkiPackageOptions

    def package(name: str, legacy: bool, sched: bool) -> None:
        d = Path(tempfile.mkdtemp(dir=tmp))
        tiny_media(d)
        col = build_collection(d / "collection.anki2", with_reviews=sched)
        col.export_anki_package(
            out_path=str(OUT / name),
            options=ExportAnkiPackageOptions(
                with_scheduling=sched, with_deck_configs=sched, with_media=True, legacy=legacy
            ),
            limit=None,
        )
        col.close()

    package("anki_latest.apkg", legacy=False, sched=False)
    package("anki_latest_sched.apkg", legacy=False, sched=True)
    package("anki_legacy.apkg", legacy=True, sched=False)
    package("anki_legacy_sched.apkg", legacy=True, sched=True)

    # A whole-collection backup, as "File > Export > Anki Collection Package" writes.
    d = Path(tempfile.mkdtemp(dir=tmp))
    tiny_media(d)
    col = build_collection(d / "collection.anki2", with_reviews=True)
    col.export_collection_package(str(OUT / "anki_collection.colpkg"), include_media=True, legacy=False)

    # Plain-text exports, from the same kind of collection.
    d = Path(tempfile.mkdtemp(dir=tmp))
    tiny_media(d)
    col = build_collection(d / "collection.anki2", with_reviews=False)
    col.export_note_csv(out_path=str(OUT / "notes_all_columns_html.txt"), limit=None, with_html=True,
                        with_tags=True, with_deck=True, with_notetype=True, with_guid=True)
    col.export_note_csv(out_path=str(OUT / "notes_plain_text.txt"), limit=None, with_html=False,
                        with_tags=True, with_deck=False, with_notetype=False, with_guid=False)
    col.export_card_csv(out_path=str(OUT / "cards_plain_text.txt"), limit=None, with_html=False)
    col.close()


# --------------------------------------------------------------------------- history

# A review history made by Anki itself, over weeks: each study session is a separate run of
# Anki's Python package under `faketime` (Debian package `faketime`), so every interval, due
# date, lapse and FSRS memory state is what Anki computed at that moment. FSRS is switched on,
# as alt-prep schedules like Anki with FSRS. Ratings follow a fixed plan per card (index = the
# card's n-th answer, learning steps included; the last entry repeats).
HISTORY_START = "2025-01-06"
HISTORY_MIN_DAYS = 45
HISTORY_PLAN = {
    "hB1steady/0": [3],
    "hB2lapse/0": [3, 3, 3, 3, 1, 3],
    "hB3easy/0": [4, 3],
    "hB4hard/0": [3, 3, 2, 2, 3],
    # Lapses on the last day and is left in relearning (see make_history).
    "hB5lastlapse/0": [3],
    # Reset to new ("Forget") on day 20, then learned again.
    "hB6reset/0": [3],
    "hB7rev/0": [3, 3, 3, 1, 3],
    "hB7rev/1": [3, 1, 3, 4],
    "hB8cloze/0": [3, 2, 3],
    "hB8cloze/1": [1, 3, 3, 3],
}

HISTORY_WORKER = r"""
import json, sys, time
from anki.collection import Collection
path, plan, action = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
col = Collection(path)
now = time.time()
if action == "forget":
    cids = col.db.list("select c.id from cards c join notes n on n.id = c.nid where n.guid = ?", sys.argv[4])
    col.sched.schedule_cards_as_new(cids, restore_position=False, reset_counts=False)
else:
    while True:
        card = col.sched.getCard()
        if card is None:
            break
        # Learning cards are offered up to 20 minutes early; a learner coming back later
        # sees them on time, so leave them to the next session.
        if card.queue in (1, 4) and card.due > now:
            break
        key = f"{card.note().guid}/{card.ord}"
        seq = plan.get(key, [3])
        n = col.db.scalar("select count() from revlog where cid = ? and ease > 0", card.id)
        ease = seq[n] if n < len(seq) else seq[-1]
        if action == "last" and key == "hB5lastlapse/0":
            ease = 1
        # Thinking time 4-15 s, fixed by the answer count.
        card.timer_started = now - (4 + (n * 7 + card.ord * 3) % 12)
        col.sched.answerCard(card, ease)
col.close()
"""


def make_history(tmp: Path) -> None:
    import datetime
    import json
    import subprocess

    from anki.collection import Collection, ExportAnkiPackageOptions

    if shutil.which("faketime") is None:
        sys.exit("make_history needs faketime (apt-get install faketime)")
    d = Path(tempfile.mkdtemp(dir=tmp))
    path = d / "collection.anki2"
    worker = d / "worker.py"
    worker.write_text(HISTORY_WORKER)
    start = datetime.datetime.fromisoformat(HISTORY_START + "T09:00:00")

    def at(day: int, minute: int = 0) -> str:
        t = start + datetime.timedelta(days=day, minutes=minute)
        return "@" + t.strftime("%Y-%m-%d %H:%M:%S")

    def run(day: int, minute: int, action: str = "study", *extra: str) -> None:
        subprocess.run(
            ["faketime", "-f", at(day, minute), sys.executable, str(worker), str(path),
             json.dumps(HISTORY_PLAN), action, *extra],
            check=True, env={**os.environ, "TZ": "UTC"},
        )

    # Create the notes on day 0, under the fake clock, so ids and `crt` fit the timeline.
    setup = d / "setup.py"
    setup.write_text(r"""
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
col.set_config("fsrs", True)
deck = col.decks.id("ALT Prep::History")
col.decks.select(deck)
mm = col.models
def add(model, fields, guid, tags):
    note = col.new_note(mm.by_name(model))
    for i, v in enumerate(fields):
        note.fields[i] = v
    note.guid = guid
    note.tags = tags
    col.add_note(note, deck)
add("Basic", ["What does JTE stand for?", "Japanese Teacher of English"], "hB1steady", ["roles"])
add("Basic", ["Who employs most JET ALTs?", "The local Board of Education (BOE)"], "hB2lapse", ["roles"])
add("Basic", ["How do you say &quot;good morning&quot; to staff?", "おはようございます"], "hB3easy", ["phrases"])
add("Basic", ["What is <i>enkai</i>?", "A staff drinking party"], "hB4hard", ["culture"])
add("Basic", ["What is a <b>kyōin shitsu</b>?", "The staff room"], "hB5lastlapse", ["school"])
add("Basic", ["What is <i>bukatsu</i>?", "After-school clubs"], "hB6reset", ["school"])
add("Basic (and reversed card)", ["校長先生", "Principal"], "hB7rev", ["staff"])
add("Cloze", ["The school year starts in {{c1::April::month}} and ends in {{c2::March}}.", ""], "hB8cloze", ["school"])
col.close()
""")
    subprocess.run(["faketime", "-f", at(0, -30), sys.executable, str(setup), str(path)],
                   check=True, env={**os.environ, "TZ": "UTC"})

    def pending_learning() -> bool:
        con = sqlite3.connect(path)
        n = con.execute("select count() from cards where queue in (1, 3)").fetchone()[0]
        con.close()
        return n > 0

    def lastlapse_due_today(day: int) -> bool:
        con = sqlite3.connect(path)
        crt, = con.execute("select crt from col").fetchone()
        due, queue = con.execute(
            "select c.due, c.queue from cards c join notes n on n.id = c.nid where n.guid = 'hB5lastlapse'"
        ).fetchone()
        con.close()
        today = int((start + datetime.timedelta(days=day)).timestamp() - crt) // 86400
        return queue == 2 and due <= today

    day = 0
    while True:
        if day == 20:
            run(day, -5, "forget", "hB6reset")
        last = day >= HISTORY_MIN_DAYS and lastlapse_due_today(day)
        run(day, 0, "last" if last else "study")
        if last:
            break
        for minute in (12, 25, 40, 60):
            if not pending_learning():
                break
            run(day, minute)
        day += 1
        if day > 400:
            sys.exit("make_history: hB5lastlapse never came due")

    # Export an hour after the last session; record what Anki holds, for the tests.
    finish = d / "finish.py"
    finish.write_text(r"""
import json, sys
from anki.collection import Collection, ExportAnkiPackageOptions
col = Collection(sys.argv[1])
# A card added at the end and never studied.
note = col.new_note(col.models.by_name("Basic"))
note["Front"], note["Back"] = "What is <i>kyūshoku</i>?", "School lunch"
note.guid = "hB9new"
col.add_note(note, col.decks.id("ALT Prep::History"))
cards = {}
for cid in col.find_cards(""):
    c = col.get_card(cid)
    key = f"{c.note().guid}/{c.ord}"
    ms = c.memory_state
    revs = col.db.all("select id, ease, type, ivl, factor, time from revlog where cid = ? order by id", cid)
    cards[key] = {
        "type": c.type, "queue": c.queue, "ivl": c.ivl, "reps": c.reps, "lapses": c.lapses,
        "due_day": c.due if c.queue == 2 else None,
        "due_secs": c.due if c.queue in (1, 3) else None,
        "stability": ms.stability if ms else None,
        "difficulty": ms.difficulty if ms else None,
        "revlog": revs,
    }
out = {"crt": col.crt, "cards": cards}
for name, legacy in (("anki_history.apkg", False), ("anki_history_legacy.apkg", True)):
    col.export_anki_package(out_path=sys.argv[2] + "/" + name,
        options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True,
                                         with_media=False, legacy=legacy), limit=None)
col.close()
open(sys.argv[2] + "/anki_history.expected.json", "w").write(json.dumps(out, indent=1, sort_keys=True) + "\n")
""")
    subprocess.run(["faketime", "-f", at(day, 60), sys.executable, str(finish), str(path), str(OUT)],
                   check=True, env={**os.environ, "TZ": "UTC"})


# --------------------------------------------------------------------------- moves

# Notes moved between decks in Anki, and a deck renamed, between two exports of one
# collection: `anki_moves_before.apkg`, then (after moving note `mvJET1` to `JET::Basics`,
# renaming deck `Old name` to `New name` and moving `mvKEPT1` to `Elsewhere`)
# `anki_moves_after.apkg` and its notes text export `anki_moves_after_notes.txt` (GUID and
# deck columns), which Anki itself imports without moving any card.
def make_moves(tmp: Path) -> None:
    from anki.collection import Collection, ExportAnkiPackageOptions

    d = Path(tempfile.mkdtemp(dir=tmp))
    col = Collection(str(d / "collection.anki2"))
    col.set_config("fsrs", True)
    basic = col.models.by_name("Basic")
    notes = {}
    for guid, deck, front, back in [
        ("mvJET1", "JET", "Who runs the JET Programme?", "CLAIR, with three ministries"),
        ("mvJET2", "JET", "When did JET start?", "1987"),
        ("mvOLD1", "Old name", "What is a BOE?", "The local Board of Education"),
        ("mvOLD2", "Old name", "What is a JTE?", "A Japanese Teacher of English"),
        ("mvKEPT1", "Kept", "What is kyushoku?", "School lunch"),
        ("mvKEPT2", "Kept", "What is bukatsu?", "After-school clubs"),
    ]:
        note = col.new_note(basic)
        note["Front"], note["Back"] = front, back
        note.guid = guid
        col.add_note(note, col.decks.id(deck))
        notes[guid] = note

    def export(name: str) -> None:
        col.export_anki_package(
            out_path=str(OUT / name),
            options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True,
                                             with_media=False, legacy=False),
            limit=None,
        )

    export("anki_moves_before.apkg")
    col.set_deck([c.id for c in notes["mvJET1"].cards()], col.decks.id("JET::Basics"))
    col.set_deck([c.id for c in notes["mvKEPT1"].cards()], col.decks.id("Elsewhere"))
    old = col.decks.by_name("Old name")
    old["name"] = "New name"
    col.decks.save(old)
    export("anki_moves_after.apkg")
    col.export_note_csv(out_path=str(OUT / "anki_moves_after_notes.txt"), limit=None,
                        with_html=False, with_tags=True, with_deck=True, with_notetype=False,
                        with_guid=True)
    col.close()

    # Two notes whose cards get one id: card 2 of GUID `word` (a reversed note in deck A) and
    # card 1 of GUID `word-2` (deck B). Only tool-made GUIDs can do this.
    d = Path(tempfile.mkdtemp(dir=tmp))
    col = Collection(str(d / "collection.anki2"))
    note = col.new_note(col.models.by_name("Basic (and reversed card)"))
    note["Front"], note["Back"] = "word", "meaning"
    note.guid = "word"
    col.add_note(note, col.decks.id("A"))
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = "other note", "other back"
    note.guid = "word-2"
    col.add_note(note, col.decks.id("B"))
    col.export_anki_package(
        out_path=str(OUT / "anki_guid_clash.apkg"),
        options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                         with_media=False, legacy=False),
        limit=None,
    )
    col.close()


# --------------------------------------------------------------------------- history, later

# The same collection exported again after more study in Anki, for re-import: Anki's own
# importer reads `anki_history.apkg` (with scheduling) into a fresh collection; then, at the
# real time of the run (no faketime: every card is long overdue by then), every due card is
# answered Good once, `hB2lapse` is reset to new ("Forget", counts reset) and `hB4hard` is
# given a due date 7 days on ("Set due date"). `anki_history_later.expected.json` records
# what Anki holds at export, in the format of `anki_history.expected.json`.
HISTORY_LATER = package_script(True, r"""
deck = col.decks.id("ALT Prep::History")
col.decks.select(deck)
now = time.time()
seen = set()
while True:
    card = col.sched.getCard()
    if card is None or card.id in seen or (card.queue in (1, 4) and card.due > now):
        break
    seen.add(card.id)
    card.timer_started = now - 6
    col.sched.answerCard(card, 3)
def cids(guid):
    return col.db.list("select c.id from cards c join notes n on n.id = c.nid where n.guid = ?", guid)
col.sched.schedule_cards_as_new(cids("hB2lapse"), restore_position=True, reset_counts=True)
col.sched.set_due_date(cids("hB4hard"), "7")
cards = {}
for cid in col.find_cards(""):
    c = col.get_card(cid)
    key = f"{c.note().guid}/{c.ord}"
    ms = c.memory_state
    revs = col.db.all("select id, ease, type, ivl, factor, time from revlog where cid = ? order by id", cid)
    cards[key] = {
        "type": c.type, "queue": c.queue, "ivl": c.ivl, "reps": c.reps, "lapses": c.lapses,
        "due_day": c.due if c.queue == 2 else None,
        "due_secs": c.due if c.queue in (1, 3) else None,
        "stability": ms.stability if ms else None,
        "difficulty": ms.difficulty if ms else None,
        "revlog": revs,
    }
col.export_anki_package(out_path=out + "/anki_history_later.apkg",
    options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True,
                                     with_media=False, legacy=False), limit=None)
result = {"crt": col.crt, "exported_at": int(now), "answered": len(seen), "cards": cards}
col.close()
open(out + "/anki_history_later.expected.json", "w").write(json.dumps(result, indent=1, sort_keys=True) + "\n")
""")


def run_anki_script(tmp: Path, script: str, *args: str) -> None:
    """Runs `script` with this Python in a process of its own (Anki's UI language and clock
    are process-wide), given a fresh collection path and then `args`."""
    import subprocess

    d = Path(tempfile.mkdtemp(dir=tmp))
    path = d / "script.py"
    path.write_text(script)
    subprocess.run([sys.executable, str(path), str(d / "collection.anki2"), *args],
                   check=True, env={**os.environ, "TZ": "UTC"})


def make_history_later(tmp: Path) -> None:
    run_anki_script(tmp, HISTORY_LATER, str(OUT / "anki_history.apkg"), str(OUT))


# --------------------------------------------------------------------------- partial logs

# anki_history.apkg after what leaves a card's review log not starting with its learning
# answers, each on one card: learning rows deleted (a log cut short), every row deleted, a
# "Forget" whose reset row is gone (as older Anki versions wrote none) on a card answered
# again and on one left new, and "Set due date" on a new card. Records Anki's own memory
# state for each (`compute_memory_state`), which the import must rebuild.
PARTIAL = package_script(True, r"""
def cid(key):
    guid, ord = key.split("/")
    return col.db.scalar("select c.id from cards c join notes n on n.id = c.nid "
                         "where n.guid = ? and c.ord = ?", guid, int(ord))
roles = {"truncated": "hB1steady/0", "no_log": "hB3easy/0", "forget_relearned": "hB4hard/0",
         "forget_new": "hB7rev/1", "due_date_on_new": "hB9new/0"}
col.db.execute("delete from revlog where cid = ? and type = 0", cid(roles["truncated"]))
col.db.execute("delete from revlog where cid = ?", cid(roles["no_log"]))
for role in ("forget_relearned", "forget_new"):
    c = cid(roles[role])
    col.sched.schedule_cards_as_new([c], restore_position=True, reset_counts=False)
    col.db.execute("delete from revlog where cid = ? and type = 4 and factor = 0", c)
card = col.get_card(cid(roles["forget_relearned"]))
for rating in (3, 3):
    card = col.get_card(card.id)
    card.start_timer()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
col.sched.set_due_date([cid(roles["due_date_on_new"])], "5")
cards = {}
for role, key in roles.items():
    c = col.get_card(cid(key))
    ms = c.memory_state
    computed = col.compute_memory_state(c.id)
    cards[key] = {
        "role": role, "type": c.type, "queue": c.queue, "ivl": c.ivl, "reps": c.reps,
        "lapses": c.lapses, "due_day": c.due if c.queue == 2 else None,
        "due_secs": c.due if c.queue in (1, 3) else None,
        "stability": ms.stability if ms else None,
        "difficulty": ms.difficulty if ms else None,
        "computed_stability": getattr(computed, "stability", None),
        "computed_difficulty": getattr(computed, "difficulty", None),
        "revlog": col.db.all("select id, ease, type, ivl, factor, time from revlog "
                             "where cid = ? order by id", c.id),
    }
col.export_anki_package(out_path=out + "/anki_partial_history.apkg",
    options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True,
                                     with_media=False, legacy=False), limit=None)
result = {"crt": col.crt, "cards": cards}
col.close()
open(out + "/anki_partial_history.expected.json", "w").write(
    json.dumps(result, indent=1, sort_keys=True) + "\n")
""")


def make_partial(tmp: Path) -> None:
    run_anki_script(tmp, PARTIAL, str(OUT / "anki_history.apkg"), str(OUT))


# --------------------------------------------------------------------------- fitted parameters

# anki_history.apkg in a collection whose preset has FSRS parameters of its own (as Anki's
# optimizer leaves them; fixed here, so the test is exact): `anki_fitted_params.apkg` and
# `anki_fitted_params_legacy.apkg`, and `anki_fitted_params.expected.json` with the parameters
# and Anki's `compute_memory_state` of every studied card under them, which the import must
# reproduce once it has taken the parameters. Also `anki_mixed_presets.apkg` (one note in a
# deck whose preset has no parameters: nothing may be taken) and `anki_fitted_params.colpkg`
# (the whole collection, with a preset no deck uses holding other parameters: ignored).
FITTED_PARAMS = [0.3, 1.6, 3.1, 10.5, 6.0, 0.7, 2.6, 0.003, 1.7, 0.2, 0.9, 1.6, 0.07, 0.3,
                 1.5, 0.5, 2.1, 0.6, 0.12, 0.08, 0.2]
FITTED = package_script(True, r"""
params = json.loads(sys.argv[4])
conf = col.decks.config_dict_for_deck_id(col.decks.id("ALT Prep::History"))
conf["fsrsParams6"] = params
col.decks.update_config(conf)

def states():
    # Anki's memory state of every studied card, by `guid/ord`, under the presets now.
    found = {}
    for cid in col.find_cards("-is:new"):
        c = col.get_card(cid)
        computed = col.compute_memory_state(cid)
        found[f"{c.note().guid}/{c.ord}"] = {
            "stability": computed.stability, "difficulty": computed.difficulty,
        }
    return found

def export(name, legacy=False):
    col.export_anki_package(out_path=out + "/" + name,
        options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True,
                                         with_media=False, legacy=legacy), limit=None)

cards = states()
export("anki_fitted_params.apkg")
export("anki_fitted_params_legacy.apkg", legacy=True)
result = {"preset": conf["name"], "parameters": params, "cards": cards}
# One note's cards moved to a deck whose preset has no parameters of its own (FSRS's
# defaults there): presets that disagree, so nothing may be taken.
grammar = col.decks.id("ALT Prep::Grammar")
plain = col.decks.add_config_returning_id("Grammar")
deck = col.decks.get(grammar)
deck["conf"] = plain
col.decks.save(deck)
moved = col.db.list("select c.id from cards c join notes n on n.id = c.nid where n.guid = ?", "hB2lapse")
assert moved, "hB2lapse is in the collection"
col.set_deck(moved, grammar)
export("anki_mixed_presets.apkg")
# Back where they were; a preset no deck uses, with other parameters, as old collections
# keep them: a collection package carries it, and it must not count.
col.set_deck(moved, col.decks.id("ALT Prep::History"))
# "Ignore cards reviewed before" a date in the middle of the history: Anki's memory states
# leave out the earlier answers (`anki_ignore_before.apkg`, with Anki's states).
conf = col.decks.config_dict_for_deck_id(col.decks.id("ALT Prep::History"))
conf["ignoreRevlogsBeforeDate"] = "2025-02-01"
col.decks.update_config(conf)
ignored = states()
export("anki_ignore_before.apkg")
open(out + "/anki_ignore_before.expected.json", "w").write(
    json.dumps({"date": "2025-02-01", "cards": ignored}, indent=1, sort_keys=True) + "\n")
conf["ignoreRevlogsBeforeDate"] = ""
col.decks.update_config(conf)
unused = col.decks.get_config(col.decks.add_config_returning_id("Unused"))
unused["fsrsParams6"] = [p * 1.1 for p in params]
col.decks.update_config(unused)
col.export_collection_package(out + "/anki_fitted_params.colpkg", include_media=False,
                              legacy=False)
open(out + "/anki_fitted_params.expected.json", "w").write(
    json.dumps(result, indent=1, sort_keys=True) + "\n")
""")


def make_fitted(tmp: Path) -> None:
    import json

    run_anki_script(tmp, FITTED, str(OUT / "anki_history.apkg"), str(OUT),
                    json.dumps(FITTED_PARAMS))


# --------------------------------------------------------------------------- two templates

# A custom note type with two templates, both cards answered, exported as a package with
# scheduling (`anki_two_templates.apkg`) and as a notes text export with GUIDs
# (`anki_two_templates_notes.txt`). The text file has the note's fields, not its templates,
# so it describes card 1 only: `--prune` must not take card 2 for gone.
TWO_TEMPLATES = r"""
import sys
from anki.collection import Collection, ExportAnkiPackageOptions
from anki.import_export_pb2 import ExportLimit
from anki.scheduler.v3 import CardAnswer
path, out = sys.argv[1], sys.argv[2]
col = Collection(path)
mm = col.models
m = mm.new("Vocab3")
for f in ["Word", "Reading", "Meaning"]:
    mm.add_field(m, mm.new_field(f))
t1 = mm.new_template("Recognition")
t1["qfmt"], t1["afmt"] = "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}"
t2 = mm.new_template("Recall")
t2["qfmt"], t2["afmt"] = "{{Meaning}}", "{{FrontSide}}<hr id=answer>{{Word}}"
mm.add_template(m, t1)
mm.add_template(m, t2)
mm.add(m)
deck = col.decks.id("Vocab")
note = col.new_note(mm.by_name("Vocab3"))
note["Word"], note["Reading"], note["Meaning"] = "学校", "がっこう", "school"
note.guid = "tT2vocab"
col.add_note(note, deck)
for cid in col.find_cards(""):
    card = col.get_card(cid)
    card.start_timer()
    states = col._backend.get_scheduling_states(cid)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD))
col.export_anki_package(out_path=out + "/anki_two_templates.apkg",
    options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True,
                                     with_media=False, legacy=False), limit=ExportLimit())
col.export_note_csv(out_path=out + "/anki_two_templates_notes.txt", limit=ExportLimit(),
    with_html=True, with_tags=True, with_deck=True, with_notetype=True, with_guid=True)
col.close()
"""


def make_two_templates(tmp: Path) -> None:
    run_anki_script(tmp, TWO_TEMPLATES, str(OUT))


# --------------------------------------------------------------------------- suspension

# anki_latest_sched.apkg after, in Anki, its suspended card was unsuspended and one new card
# suspended, nothing studied: the change a re-import must follow.
SUSPEND = package_script(False, r"""
suspended = col.find_cards("is:suspended")
assert suspended, "the source has a suspended card"
col.sched.unsuspend_cards(suspended)
new = [c for c in col.find_cards("is:new") if c not in suspended]
col.sched.suspend_cards(new[:1])
print("unsuspended", [col.get_card(c).note().guid for c in suspended],
      "suspended", [col.get_card(c).note().guid for c in new[:1]])
col.export_anki_package(out_path=out + "/anki_latest_sched_suspend_changed.apkg",
    options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True,
                                     with_media=False, legacy=False), limit=None)
col.close()
""")


def make_suspend(tmp: Path) -> None:
    run_anki_script(tmp, SUSPEND, str(OUT / "anki_latest_sched.apkg"), str(OUT))


# --------------------------------------------------------------------------- note type names

# Run in a subprocess: Anki's UI language is process-wide.
LOCALIZED = r"""
import sys, anki.lang
anki.lang.set_lang("ja")
from anki.collection import Collection, ExportAnkiPackageOptions
col = Collection(sys.argv[1])
deck = col.decks.id("日本語")
for model in col.models.all():
    if model.get("originalStockKind") == 6:  # Image Occlusion needs an image
        continue
    note = col.new_note(model)
    if model["type"] == 1:
        note.fields[0] = "{{c1::東京}}は{{c2::日本}}の首都"
    else:
        note.fields[0] = "表 " + model["name"]
        note.fields[1] = "裏"
        if len(note.fields) > 2:
            note.fields[2] = "y"
    note.guid = "ja" + str(model["originalStockKind"])
    col.add_note(note, deck)
out = sys.argv[2]
col.export_note_csv(out_path=out + "/anki_ja_notes.txt", limit=None, with_html=True,
                    with_tags=True, with_deck=True, with_notetype=True, with_guid=True)
col.export_anki_package(out_path=out + "/anki_ja.apkg",
    options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                     with_media=False, legacy=False), limit=None)
col.close()

# A cloze type of the learner's own whose cloze field is not the first, beside a Basic note.
col = Collection(sys.argv[1] + "-custom")
models = col.models
model = models.new("Fill-in")
model["type"] = 1
for name in ["Header", "Body", "Notes"]:
    models.add_field(model, models.new_field(name))
template = models.new_template("Cloze")
template["qfmt"] = "{{Header}}<br>{{cloze:Body}}"
template["afmt"] = "{{cloze:Body}}<br>{{Notes}}"
models.add_template(model, template)
models.add(model)
deck = col.decks.id("Lang")
note = col.new_note(models.by_name("Fill-in"))
note.fields[:] = ["Head", "The {{c1::cat}} sat on the {{c2::mat}}", "a note"]
note.guid = "fillin1"
col.add_note(note, deck)
note = col.new_note(next(m for m in models.all() if m.get("originalStockKind") == 1 and m["name"] != "Fill-in"))
note.fields[:] = ["q", "a"]
note.guid = "basic1"
col.add_note(note, deck)
col.export_note_csv(out_path=out + "/anki_custom_cloze_notes.txt", limit=None, with_html=True,
                    with_tags=True, with_deck=True, with_notetype=True, with_guid=True)
col.close()
"""


def make_localized(tmp: Path) -> None:
    """Notes exports from Anki in Japanese (stock note types named in Japanese) and a
    renamed cloze type."""
    run_anki_script(tmp, LOCALIZED, str(OUT))


# --------------------------------------------------------------------------- spreadsheets


def make_spreadsheets() -> None:
    """Byte-exact copies of what spreadsheet programs write when saving cards as CSV/TSV: the
    quoting, line ends, byte-order marks and encodings each one really uses."""
    # Excel "CSV UTF-8 (Comma delimited)": BOM, CRLF rows, LF inside cells (Alt+Enter), quotes
    # only where needed with "" inside, every row as wide as the widest (trailing commas).
    excel = ("\ufeffFront,Back,Tags,Notes\r\n"
             "\"Stand up, please\",起立 (kiritsu),classroom,\r\n"
             "\"Say \"\"good morning\"\" to the staff\",\"おはようございます\nOhayō gozaimasu\",phrases greetings,said in the staff room\r\n"
             "What is a JTE?,\"Japanese Teacher of English\n(team-teaches with you)\",,\r\n"
             ",,,\r\n"
             "\"6\"\" ruler\",a 15 cm ruler,,\r\n"
             "\"Multi\nline\nfront\",\"Back with \"\"quotes\"\", commas, and\nnewlines\",tricky,\r\n")
    (OUT / "excel_utf8_bom_crlf.csv").write_bytes(excel.encode("utf-8"))
    # LibreOffice Calc "Text CSV" with "Quote all text cells": LF rows, no BOM, every text
    # cell quoted, empty cells bare.
    lo = ('"Question","Answer","Tags"\n'
          '"When did JET start?","1987","history jet"\n'
          '"Who runs JET?","CLAIR, with three ministries","jet"\n'
          '"What does ""ESID"" mean?","English Speaking Immersion Day",\n'
          '"Line\nbreak","kept\n\nwith a blank line",\n')
    (OUT / "libreoffice_quote_all.csv").write_bytes(lo.encode("utf-8"))
    # A European-locale Excel: semicolons, since the comma is the decimal mark.
    semi = ('Front;Back;Tags\r\n'
            '"Pi, roughly";3,14;maths\r\n'
            'Staff room;職員室 (shokuinshitsu);school\r\n')
    (OUT / "excel_semicolon.csv").write_bytes(semi.encode("utf-8"))
    # Google Sheets "Tab-separated values": CRLF rows, cells holding a tab, newline or quote
    # wrapped in quotes with "" inside, a quote mid-cell left bare, no header, no final CRLF.
    gs = ('起立\tStand up\tclassroom\r\n'
          '"Say ""please"""\t"Kudasai\nor onegaishimasu"\tphrases\r\n'
          'Tab\tin "middle" of a cell\t\r\n'
          '礼\t"Bow\t(rei)"\tclassroom')
    (OUT / "google_sheets.tsv").write_bytes(gs.encode("utf-8"))
    # Excel "Unicode Text": UTF-16LE with a BOM, tab-separated, CRLF.
    u16 = "Front\tBack\r\n先生\tTeacher\r\n校長先生\tPrincipal\r\n"
    (OUT / "excel_unicode_text.txt").write_bytes(b"\xff\xfe" + u16.encode("utf-16-le"))
    # Excel on Windows "CSV (Comma delimited)": Windows-1252, not UTF-8 (refused, by line).
    (OUT / "excel_cp1252.csv").write_bytes(
        "Front,Back\r\nCaf\u00e9,coffee shop\r\nNa\u00efve,innocent\r\n".encode("cp1252"))


# --------------------------------------------------------------------------- malformed


def make_malformed() -> None:
    """Packages that must be refused cleanly, each for one reason."""
    latest = (OUT / "anki_latest.apkg").read_bytes()

    # Cut in half: the central directory at the end of the zip is gone.
    (OUT / "bad_truncated.apkg").write_bytes(latest[: len(latest) // 2])

    # A zip with media but no collection at all.
    with zipfile.ZipFile(OUT / "bad_no_collection.apkg", "w") as z:
        z.writestr("media", "{}")
        z.writestr("0", b"media bytes")

    # meta says LATEST, but only the dummy collection.anki2 is there: an importer that falls
    # back to collection.anki2 would import "Please update to the latest Anki version".
    with zipfile.ZipFile(io.BytesIO(latest)) as src, zipfile.ZipFile(
        OUT / "bad_only_dummy.apkg", "w", zipfile.ZIP_DEFLATED
    ) as z:
        for name in ("meta", "collection.anki2", "media"):
            z.writestr(name, src.read(name))

    # meta is not a PackageMetadata protobuf (version 9 is unknown).
    with zipfile.ZipFile(io.BytesIO(latest)) as src, zipfile.ZipFile(
        OUT / "bad_wrong_meta.apkg", "w", zipfile.ZIP_DEFLATED
    ) as z:
        for item in src.infolist():
            z.writestr(item.filename, b"\x08\x09" if item.filename == "meta" else src.read(item.filename))

    # A path-traversal entry name beside a real collection.
    legacy = (OUT / "genanki_mixed.apkg").read_bytes()
    with zipfile.ZipFile(io.BytesIO(legacy)) as src, zipfile.ZipFile(
        OUT / "bad_zip_slip.apkg", "w", zipfile.ZIP_DEFLATED
    ) as z:
        for item in src.infolist():
            z.writestr(item.filename, src.read(item.filename))
        z.writestr("../../evil.sh", b"echo pwned\n")

    # A collection that is SQLite but has no notes table.
    d = Path(tempfile.mkdtemp())
    db = d / "c.db"
    con = sqlite3.connect(db)
    con.execute("create table col (id integer primary key, models text, decks text)")
    con.execute("insert into col values (1, '{}', '{}')")
    con.commit()
    con.close()
    with zipfile.ZipFile(OUT / "bad_missing_tables.apkg", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(db, "collection.anki2")
        z.writestr("media", "{}")
    shutil.rmtree(d)

    # Not SQLite at all.
    with zipfile.ZipFile(OUT / "bad_not_sqlite.apkg", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("collection.anki21", b"this is not a database" * 10)
        z.writestr("meta", b"\x08\x02")
    make_no_notetypes()


def make_no_notetypes() -> None:
    """The current package with its `notetypes` table dropped (needs the `zstd` program)."""
    import subprocess

    latest = (OUT / "anki_latest.apkg").read_bytes()
    d = Path(tempfile.mkdtemp())
    db = d / "c.db"
    with zipfile.ZipFile(io.BytesIO(latest)) as src:
        packed = src.read("collection.anki21b")
        db.write_bytes(subprocess.run(["zstd", "-d", "-c"], input=packed, capture_output=True,
                                      check=True).stdout)
        con = sqlite3.connect(db)
        con.execute("drop table notetypes")
        con.commit()
        con.close()
        repacked = subprocess.run(["zstd", "-c", "-q"], input=db.read_bytes(), capture_output=True,
                                  check=True).stdout
        with zipfile.ZipFile(OUT / "bad_no_notetypes.apkg", "w", zipfile.ZIP_DEFLATED) as z:
            for item in src.infolist():
                data = repacked if item.filename == "collection.anki21b" else src.read(item.filename)
                z.writestr(item.filename, data)
    shutil.rmtree(d)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    only = sys.argv[1:]  # e.g. `history`: regenerate just those groups
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if not only or "genanki" in only:
            make_genanki(tmp)
        if not only or "anki" in only:
            make_anki(tmp)
        if not only or "history" in only:
            make_history(tmp)
        if not only or "moves" in only:
            make_moves(tmp)
        if not only or "history-later" in only:
            make_history_later(tmp)
        if not only or "localized" in only:
            make_localized(tmp)
        if not only or "suspend" in only:
            make_suspend(tmp)
        if not only or "partial" in only:
            make_partial(tmp)
        if not only or "fitted" in only:
            make_fitted(tmp)
        if not only or "two-templates" in only:
            make_two_templates(tmp)
    if not only or "spreadsheets" in only:
        make_spreadsheets()
    if not only or "malformed" in only:
        make_malformed()
    for p in sorted(OUT.iterdir()):
        size = p.stat().st_size
        flag = "  <-- over 100 KB" if size > 100_000 else ""
        print(f"{size:8d}  {p.name}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
