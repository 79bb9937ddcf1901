-- Follow-on events a consumer derives from a change it commits (a deal closed: invoice it; its
-- stage moved: tell the CRM) are written here in the change's own batch and deleted once sent.
-- A send that fails after the commit leaves its row, and the next scheduled run sends it: the
-- retry of the message that made the change finds the change done and would send nothing.
CREATE TABLE outbox (
  event_id   TEXT PRIMARY KEY,
  event      TEXT NOT NULL,     -- the canonical event, JSON
  created_at INTEGER NOT NULL
);
CREATE INDEX outbox_created ON outbox (created_at);
