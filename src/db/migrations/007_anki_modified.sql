-- 007: when Anki last changed the card's note (its text and tags: `notes.mod`) and the card
-- itself (its schedule, suspension and deck: `cards.mod`), in Unix seconds, as of the package
-- last imported (NULL: not from a package, or imported before this version). A package older
-- than that, imported later, changes neither: it would roll the card back.

ALTER TABLE cards ADD COLUMN anki_note_mod INTEGER;
ALTER TABLE cards ADD COLUMN anki_card_mod INTEGER;
