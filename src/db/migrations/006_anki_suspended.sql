-- 006: whether Anki had the card suspended at the last import of a package with scheduling
-- (NULL: not known, a card from another format or imported before this version). A
-- re-import follows a suspend or unsuspend made in Anki since then, and otherwise leaves
-- the learner's own suspend or unsuspend here alone.

ALTER TABLE cards ADD COLUMN anki_suspended INTEGER CHECK (anki_suspended IN (0, 1));
