-- 004: new cards leave the indexes that only studied cards need. A new card has no due time
-- and no interval, so its entries in `cards_queue` and `cards_deck_stats` (both ordered by
-- state and due) were never read, yet every imported card paid for them: at 100,000 cards
-- they were a third of an import's time. Both become partial indexes of studied cards
-- (`state > 0`, which every query on them now states in those words, as SQLite requires to
-- use a partial index). New cards are served by `cards_new` alone, which in turn leaves out
-- studied cards and carries `deck_id`, so a chosen deck's new cards are counted from the
-- index without reading rows. Its order (position, then deck, then id) is the order new
-- cards are shown in: positions are unique, so the deck never decides.

DROP INDEX cards_queue;
CREATE INDEX cards_queue ON cards (kind, suspended, state, due, interval_days) WHERE state > 0;

DROP INDEX cards_deck_stats;
CREATE INDEX cards_deck_stats ON cards (deck_id, kind, suspended, state, due, interval_days)
    WHERE state > 0;

DROP INDEX cards_new;
CREATE INDEX cards_new ON cards (kind, suspended, position, deck_id) WHERE state = 0;
