-- 005: which cards are keyed by an id that is the same in every deck (an Anki note's GUID),
-- as against the per-deck ids of alt-prep's own formats. Only such a card may be moved when
-- a later import finds its GUID in another deck (the note was moved in Anki); a card typed
-- into a CSV or TOML deck whose id happens to equal a GUID is not the note and stays put.
-- Cards imported before this version with an Anki review history are the only ones known to
-- have come from Anki; those without history stay per-deck (never moved), the old behaviour.

ALTER TABLE cards ADD COLUMN global_key INTEGER NOT NULL DEFAULT 0;

UPDATE cards SET global_key = 1
 WHERE id IN (SELECT card_id FROM reviews WHERE source = 'import');
