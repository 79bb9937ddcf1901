-- Intake: every webhook delivery once, its trace, the dead letters, and spooled large bodies.

-- One row per delivery; (source, delivery_key) is the idempotency guarantee behind KV.
CREATE TABLE deliveries (
  id            TEXT PRIMARY KEY,
  source        TEXT NOT NULL,
  delivery_key  TEXT NOT NULL,
  event_type    TEXT,
  received_at   INTEGER NOT NULL,           -- ms since epoch
  recorded_at   INTEGER NOT NULL,
  status        TEXT NOT NULL DEFAULT 'received',  -- received | normalized | rejected | purged
  status_detail TEXT,
  payload       TEXT,                       -- raw JSON as delivered; NULL once purged by retention
  UNIQUE (source, delivery_key)
);
CREATE INDEX deliveries_received ON deliveries (received_at);

-- The trace of every record and delivery through its stages.
CREATE TABLE traces (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  subject     TEXT NOT NULL,                -- a delivery id, a canonical record id, ...
  delivery_id TEXT,
  stage       TEXT NOT NULL,                -- RECEIVED, NORMALIZED, REJECTED, CRM_CREATED, ...
  outcome     TEXT NOT NULL DEFAULT 'ok',   -- ok | error | skipped
  detail      TEXT,
  at          INTEGER NOT NULL
);
CREATE INDEX traces_subject ON traces (subject, at);
CREATE INDEX traces_delivery ON traces (delivery_id);

-- What exhausted its retries or failed permanently; never dropped, replayable by ops.
CREATE TABLE dead_letters (
  id          TEXT PRIMARY KEY,
  queue       TEXT NOT NULL,
  message_id  TEXT NOT NULL,
  vendor      TEXT,
  error_code  TEXT NOT NULL,
  error       TEXT NOT NULL,
  attempts    INTEGER NOT NULL,
  history     TEXT NOT NULL DEFAULT '[]',   -- JSON array of {at, status, code, error}
  payload     TEXT NOT NULL,                -- the queue message body, JSON
  status      TEXT NOT NULL DEFAULT 'open', -- open | replayed | discarded
  reason      TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (queue, message_id)
);
CREATE INDEX dead_letters_status ON dead_letters (status, created_at);

-- Bodies too large for one queue message (128 KB) wait here; the message carries the id.
CREATE TABLE payload_spool (
  id          TEXT PRIMARY KEY,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

-- Every failed attempt of a queue message, so a dead letter shows its whole history.
CREATE TABLE message_attempts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  queue       TEXT NOT NULL,
  message_id  TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  status      INTEGER,                      -- vendor HTTP status, when there was one
  code        TEXT NOT NULL,
  error       TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX message_attempts_msg ON message_attempts (queue, message_id);
