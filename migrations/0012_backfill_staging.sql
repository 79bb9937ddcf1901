-- Day-one backfill, read apart from linking: each vendor resource has a reader that stages the
-- pages it reads (one row per page, written with the reader's advance in one batch), and the
-- linker works through the staged pages in order. Both resume from what is recorded here.

CREATE TABLE backfill_reads (
  run_id        TEXT NOT NULL,
  phase         TEXT NOT NULL,               -- crm.people | crm.deals | tms.transactions | accounting.customers
  status        TEXT NOT NULL,               -- reading | done | skipped
  seq           INTEGER NOT NULL DEFAULT 0,  -- pages staged so far (the next page's number)
  sent_seq      INTEGER NOT NULL DEFAULT 0,  -- the page whose reader message was last sent
  cursor        TEXT,                        -- the vendor's cursor of page `seq` (NULL: its first)
  calls         INTEGER NOT NULL DEFAULT 0,  -- vendor calls the staged pages took
  records       INTEGER NOT NULL DEFAULT 0,
  total         INTEGER,                     -- records the vendor says the resource holds
  bytes_max     INTEGER NOT NULL DEFAULT 0,  -- the largest staged page (JSON bytes): a chunk's memory
  reason        TEXT,                        -- why a skipped phase was passed over
  lease_holder  TEXT,
  lease_until   INTEGER,
  started_at    INTEGER,                     -- first vendor call of the phase
  done_at       INTEGER,                     -- last page staged
  PRIMARY KEY (run_id, phase)
);

-- One page as read, in the shape the linker compares (people / deals, the vendor's total, the
-- calls it took); deleted once the linker has committed it.
CREATE TABLE backfill_pages (
  run_id        TEXT NOT NULL,
  phase         TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  body          TEXT NOT NULL,
  last          INTEGER NOT NULL,            -- 1: no page follows
  PRIMARY KEY (run_id, phase, seq)
);
