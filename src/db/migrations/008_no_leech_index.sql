-- 008: no index of leeches. `cards_leeches` was a partial index whose condition calls a
-- function (`LIKE`), and SQLite treats any function in an INSERT's program as one that may
-- fail part-way: an INSERT of many rows then keeps a statement journal, a copy of every
-- page it touches (`sqlite3MayAbort`). With it gone (and foreign keys off for the import),
-- a large import writes 64 cards per INSERT with no such copy: the SQLite floor of the
-- 100,000-card insert went from 0.244 to 0.173 s (`benches/insert-floor`). The leech count
-- of `alt-prep stats` now reads the table (~25 ms at 100,000 cards), as it would any tag.

DROP INDEX cards_leeches;
