-- 001: the initial schema. Never edit a shipped migration; add a new numbered file instead.

CREATE TABLE decks (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,       -- stable id from the deck file (`alt-role`)
    name        TEXT    NOT NULL UNIQUE,       -- what the learner sees and types
    description TEXT    NOT NULL DEFAULT '',
    builtin     INTEGER NOT NULL DEFAULT 0,    -- 1 for decks shipped in the binary
    created_at  INTEGER NOT NULL               -- unix seconds
) STRICT;

-- Flashcards and interview prompts share this table so one scheduler and one review log
-- serve both (kind 0 = flashcard, 1 = interview prompt).
CREATE TABLE cards (
    id            INTEGER PRIMARY KEY,
    deck_id       INTEGER NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
    key           TEXT    NOT NULL,            -- stable id within the deck; survives edits
    kind          INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0, 1)),
    front         TEXT    NOT NULL,
    back          TEXT    NOT NULL,
    tags          TEXT    NOT NULL DEFAULT '', -- space separated
    content_hash  INTEGER NOT NULL DEFAULT 0,  -- detects edits on re-import; never identity
    position      INTEGER NOT NULL,            -- order new cards are introduced in
    state         INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),
    step          INTEGER NOT NULL DEFAULT 0,
    stability     REAL,
    difficulty    REAL,
    due           INTEGER NOT NULL DEFAULT 0,  -- unix seconds
    last_review   INTEGER,                     -- unix seconds
    interval_days INTEGER NOT NULL DEFAULT 0,
    reps          INTEGER NOT NULL DEFAULT 0,
    lapses        INTEGER NOT NULL DEFAULT 0,
    suspended     INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (deck_id, key)
) STRICT;

-- The review queue: due learning and review cards by time, new cards by position.
CREATE INDEX cards_queue ON cards (kind, suspended, state, due);
CREATE INDEX cards_new ON cards (kind, suspended, state, position);

CREATE TABLE prompts (
    card_id         INTEGER PRIMARY KEY REFERENCES cards(id) ON DELETE CASCADE,
    category        TEXT    NOT NULL,
    talking_points  TEXT    NOT NULL,          -- JSON array of strings
    follow_ups      TEXT    NOT NULL,          -- JSON array of strings
    time_limit_secs INTEGER NOT NULL,
    tips            TEXT    NOT NULL
) STRICT;

-- The full review log, as Anki's revlog: enough to replay every card's memory state.
CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    card_id       INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    reviewed_at   INTEGER NOT NULL,            -- unix milliseconds
    rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    state_before  INTEGER NOT NULL CHECK (state_before BETWEEN 0 AND 3),
    elapsed_days  INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL,
    interval_secs INTEGER NOT NULL,            -- delay until the card was due again
    stability     REAL    NOT NULL,            -- after this answer
    difficulty    REAL    NOT NULL,
    source        TEXT    NOT NULL DEFAULT 'review' -- review | interview | import
) STRICT;

CREATE INDEX reviews_card ON reviews (card_id, reviewed_at);
CREATE INDEX reviews_time ON reviews (reviewed_at);

-- Typed interview answers with their feedback.
CREATE TABLE answers (
    id          INTEGER PRIMARY KEY,
    card_id     INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    review_id   INTEGER REFERENCES reviews(id) ON DELETE SET NULL,
    answered_at INTEGER NOT NULL,              -- unix milliseconds
    text        TEXT    NOT NULL,
    elapsed_ms  INTEGER NOT NULL,
    metrics     TEXT    NOT NULL,              -- JSON feedback
    rating      INTEGER CHECK (rating BETWEEN 1 AND 4)
) STRICT;

CREATE INDEX answers_card ON answers (card_id, answered_at);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
