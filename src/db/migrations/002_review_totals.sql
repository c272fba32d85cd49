-- 002: a running summary of the review log per UTC quarter hour, deck and card kind, kept
-- exact by triggers, so `alt-prep stats` reads a few thousand summary rows instead of every
-- review (a full scan of a million-row log alone takes longer than the 100 ms stats may use).
-- Three indexes let it count cards by state from index ranges rather than a scan of `cards`.
-- Quarter hours (reviewed_at / 900000) because every time zone offset and every study-day
-- start (a whole local hour) falls on one, so each quarter belongs to exactly one study day
-- whatever the learner's zone and `day_starts_at` are.

CREATE TABLE review_totals (
    quarter        INTEGER NOT NULL,           -- reviewed_at / 900000
    deck_id        INTEGER NOT NULL,
    kind           INTEGER NOT NULL,           -- as cards.kind
    reviews        INTEGER NOT NULL,
    duration_ms    INTEGER NOT NULL,
    first_answers  INTEGER NOT NULL,           -- state_before = 0: new cards seen
    again          INTEGER NOT NULL,           -- rating = 1
    hard           INTEGER NOT NULL,
    good           INTEGER NOT NULL,
    easy           INTEGER NOT NULL,
    review_answers INTEGER NOT NULL,           -- state_before = 2: cards in review
    review_passed  INTEGER NOT NULL,           -- … answered Hard, Good or Easy
    PRIMARY KEY (quarter, deck_id, kind)
) WITHOUT ROWID, STRICT;

INSERT INTO review_totals
SELECT r.reviewed_at / 900000, c.deck_id, c.kind, count(*), sum(r.duration_ms),
       sum(r.state_before = 0), sum(r.rating = 1), sum(r.rating = 2), sum(r.rating = 3),
       sum(r.rating = 4), sum(r.state_before = 2), sum(r.state_before = 2 AND r.rating >= 2)
FROM reviews r JOIN cards c ON c.id = r.card_id
GROUP BY 1, 2, 3;

-- A new review-log row (an answer, an imported review).
CREATE TRIGGER review_totals_insert AFTER INSERT ON reviews BEGIN
    INSERT INTO review_totals
    SELECT NEW.reviewed_at / 900000, c.deck_id, c.kind, 1, NEW.duration_ms,
           NEW.state_before = 0, NEW.rating = 1, NEW.rating = 2, NEW.rating = 3,
           NEW.rating = 4, NEW.state_before = 2, NEW.state_before = 2 AND NEW.rating >= 2
    FROM cards c WHERE c.id = NEW.card_id
    ON CONFLICT DO UPDATE SET
        reviews = reviews + 1,
        duration_ms = duration_ms + excluded.duration_ms,
        first_answers = first_answers + excluded.first_answers,
        again = again + excluded.again,
        hard = hard + excluded.hard,
        good = good + excluded.good,
        easy = easy + excluded.easy,
        review_answers = review_answers + excluded.review_answers,
        review_passed = review_passed + excluded.review_passed;
END;

-- A row removed while its card stays (undo). When a card (or its deck) is deleted, the card
-- trigger below has already taken all its reviews out, and the card is gone by the time the
-- cascade deletes its reviews, so this matches nothing.
CREATE TRIGGER review_totals_delete AFTER DELETE ON reviews BEGIN
    UPDATE review_totals SET
        reviews = reviews - 1,
        duration_ms = duration_ms - OLD.duration_ms,
        first_answers = first_answers - (OLD.state_before = 0),
        again = again - (OLD.rating = 1),
        hard = hard - (OLD.rating = 2),
        good = good - (OLD.rating = 3),
        easy = easy - (OLD.rating = 4),
        review_answers = review_answers - (OLD.state_before = 2),
        review_passed = review_passed - (OLD.state_before = 2 AND OLD.rating >= 2)
    WHERE quarter = OLD.reviewed_at / 900000
      AND (deck_id, kind) = (SELECT deck_id, kind FROM cards WHERE id = OLD.card_id);
    DELETE FROM review_totals WHERE quarter = OLD.reviewed_at / 900000 AND reviews <= 0;
END;

-- An edited review-log row: out with the old values, in with the new.
CREATE TRIGGER review_totals_update
AFTER UPDATE OF card_id, reviewed_at, rating, state_before, duration_ms ON reviews BEGIN
    UPDATE review_totals SET
        reviews = reviews - 1,
        duration_ms = duration_ms - OLD.duration_ms,
        first_answers = first_answers - (OLD.state_before = 0),
        again = again - (OLD.rating = 1),
        hard = hard - (OLD.rating = 2),
        good = good - (OLD.rating = 3),
        easy = easy - (OLD.rating = 4),
        review_answers = review_answers - (OLD.state_before = 2),
        review_passed = review_passed - (OLD.state_before = 2 AND OLD.rating >= 2)
    WHERE quarter = OLD.reviewed_at / 900000
      AND (deck_id, kind) = (SELECT deck_id, kind FROM cards WHERE id = OLD.card_id);
    DELETE FROM review_totals WHERE quarter = OLD.reviewed_at / 900000 AND reviews <= 0;
    INSERT INTO review_totals
    SELECT NEW.reviewed_at / 900000, c.deck_id, c.kind, 1, NEW.duration_ms,
           NEW.state_before = 0, NEW.rating = 1, NEW.rating = 2, NEW.rating = 3,
           NEW.rating = 4, NEW.state_before = 2, NEW.state_before = 2 AND NEW.rating >= 2
    FROM cards c WHERE c.id = NEW.card_id
    ON CONFLICT DO UPDATE SET
        reviews = reviews + 1,
        duration_ms = duration_ms + excluded.duration_ms,
        first_answers = first_answers + excluded.first_answers,
        again = again + excluded.again,
        hard = hard + excluded.hard,
        good = good + excluded.good,
        easy = easy + excluded.easy,
        review_answers = review_answers + excluded.review_answers,
        review_passed = review_passed + excluded.review_passed;
END;

-- A deleted card (directly, or through its deck): take out all its reviews while they are
-- still there.
CREATE TRIGGER review_totals_card_delete BEFORE DELETE ON cards BEGIN
    UPDATE review_totals SET
        reviews = review_totals.reviews - s.reviews,
        duration_ms = review_totals.duration_ms - s.duration_ms,
        first_answers = review_totals.first_answers - s.first_answers,
        again = review_totals.again - s.again,
        hard = review_totals.hard - s.hard,
        good = review_totals.good - s.good,
        easy = review_totals.easy - s.easy,
        review_answers = review_totals.review_answers - s.review_answers,
        review_passed = review_totals.review_passed - s.review_passed
    FROM (SELECT reviewed_at / 900000 AS quarter, count(*) AS reviews,
                 sum(duration_ms) AS duration_ms, sum(state_before = 0) AS first_answers,
                 sum(rating = 1) AS again, sum(rating = 2) AS hard, sum(rating = 3) AS good,
                 sum(rating = 4) AS easy, sum(state_before = 2) AS review_answers,
                 sum(state_before = 2 AND rating >= 2) AS review_passed
          FROM reviews WHERE card_id = OLD.id GROUP BY 1) AS s
    WHERE review_totals.quarter = s.quarter
      AND review_totals.deck_id = OLD.deck_id AND review_totals.kind = OLD.kind;
    DELETE FROM review_totals
    WHERE quarter IN (SELECT reviewed_at / 900000 FROM reviews WHERE card_id = OLD.id)
      AND deck_id = OLD.deck_id AND kind = OLD.kind AND reviews <= 0;
END;

-- A card moved to another deck (or made a prompt): its reviews move with it.
CREATE TRIGGER review_totals_card_move AFTER UPDATE OF deck_id, kind ON cards
WHEN OLD.deck_id != NEW.deck_id OR OLD.kind != NEW.kind BEGIN
    UPDATE review_totals SET
        reviews = review_totals.reviews - s.reviews,
        duration_ms = review_totals.duration_ms - s.duration_ms,
        first_answers = review_totals.first_answers - s.first_answers,
        again = review_totals.again - s.again,
        hard = review_totals.hard - s.hard,
        good = review_totals.good - s.good,
        easy = review_totals.easy - s.easy,
        review_answers = review_totals.review_answers - s.review_answers,
        review_passed = review_totals.review_passed - s.review_passed
    FROM (SELECT reviewed_at / 900000 AS quarter, count(*) AS reviews,
                 sum(duration_ms) AS duration_ms, sum(state_before = 0) AS first_answers,
                 sum(rating = 1) AS again, sum(rating = 2) AS hard, sum(rating = 3) AS good,
                 sum(rating = 4) AS easy, sum(state_before = 2) AS review_answers,
                 sum(state_before = 2 AND rating >= 2) AS review_passed
          FROM reviews WHERE card_id = NEW.id GROUP BY 1) AS s
    WHERE review_totals.quarter = s.quarter
      AND review_totals.deck_id = OLD.deck_id AND review_totals.kind = OLD.kind;
    DELETE FROM review_totals
    WHERE quarter IN (SELECT reviewed_at / 900000 FROM reviews WHERE card_id = OLD.id)
      AND deck_id = OLD.deck_id AND kind = OLD.kind AND reviews <= 0;
    INSERT INTO review_totals
    SELECT reviewed_at / 900000, NEW.deck_id, NEW.kind, count(*), sum(duration_ms),
           sum(state_before = 0), sum(rating = 1), sum(rating = 2), sum(rating = 3),
           sum(rating = 4), sum(state_before = 2), sum(state_before = 2 AND rating >= 2)
    FROM reviews WHERE card_id = NEW.id GROUP BY 1
    ON CONFLICT DO UPDATE SET
        reviews = reviews + excluded.reviews,
        duration_ms = duration_ms + excluded.duration_ms,
        first_answers = first_answers + excluded.first_answers,
        again = again + excluded.again,
        hard = hard + excluded.hard,
        good = good + excluded.good,
        easy = easy + excluded.easy,
        review_answers = review_answers + excluded.review_answers,
        review_passed = review_passed + excluded.review_passed;
END;

-- Card counts by state and interval (young/mature), and leeches, from index ranges; the
-- same and the forecast for chosen decks.
CREATE INDEX cards_stats ON cards (kind, suspended, state, interval_days);
CREATE INDEX cards_deck_stats ON cards (deck_id, kind, suspended, state, due, interval_days);
CREATE INDEX cards_leeches ON cards (kind, deck_id) WHERE (' ' || tags || ' ') LIKE '% leech %';
