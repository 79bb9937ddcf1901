-- Day-one backfill: one row per run (its phase, cursor and progress), the records it touched,
-- and the reconciliation report's rows (ambiguous matches, field conflicts, links to write back).

CREATE TABLE backfill_runs (
  id            TEXT PRIMARY KEY,
  status        TEXT NOT NULL,               -- running | done | failed
  phase         TEXT NOT NULL,               -- crm.people | crm.deals | tms.transactions | accounting.customers | match | done
  page          INTEGER NOT NULL DEFAULT 0,  -- pages committed so far (the message that continues carries it)
  sent_page     INTEGER NOT NULL DEFAULT 0,  -- the page whose message was last sent
  cursor        TEXT,                        -- the vendor's cursor of the phase's next page (NULL: its first)
  progress      TEXT NOT NULL DEFAULT '{}',  -- JSON {phase: {pages, records, total, startedAt, doneAt, calls}}
  lease_holder  TEXT,                        -- the message working on the page now
  lease_until   INTEGER,
  error         TEXT,
  started_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  finished_at   INTEGER,
  applied_at    INTEGER
);

-- Every golden record a run linked a vendor record to, by kind (person | deal).
CREATE TABLE backfill_touched (
  run_id        TEXT NOT NULL,
  kind          TEXT NOT NULL,
  canonical_id  TEXT NOT NULL,
  PRIMARY KEY (run_id, kind, canonical_id)
);

-- Report rows found while linking: ambiguous (a merge proposal or a transaction with several
-- candidate deals), conflict (one field, two systems, two values), writeback (a link the vendor
-- does not carry yet, pushed by --apply).
CREATE TABLE backfill_items (
  run_id        TEXT NOT NULL,
  category      TEXT NOT NULL,               -- ambiguous | conflict | writeback
  subject       TEXT NOT NULL,               -- canonical id (or system:kind:id when unlinked)
  field         TEXT NOT NULL DEFAULT '',
  detail        TEXT NOT NULL,               -- JSON
  at            INTEGER NOT NULL,
  PRIMARY KEY (run_id, category, subject, field)
);
