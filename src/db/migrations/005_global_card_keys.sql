-- 005: which cards are keyed by an id that is the same in every deck (an Anki note's GUID),
-- as against the per-deck ids of alt-prep's own formats: 1 = from an Anki GUID, 0 = a
-- per-deck id, NULL = not known. Only a card marked 1 is moved when a later import finds
-- its GUID in another deck (the note was moved in Anki); an Anki note never takes the place
-- of a card marked 0 (a card of a CSV or TOML deck whose id happens to equal a GUID).
-- Cards from before this version are marked 1 when they carry an imported Anki history and
-- are otherwise not known (NULL): treated as Anki's (matched in their own deck, moved when
-- their note moved), as before this version, and marked 1 the first time an Anki import
-- meets them. New rows default to 0.

ALTER TABLE cards ADD COLUMN global_key INTEGER DEFAULT 0 CHECK (global_key IN (0, 1));

UPDATE cards SET global_key = CASE
    WHEN id IN (SELECT card_id FROM reviews WHERE source = 'import') THEN 1
END;
