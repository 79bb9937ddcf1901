-- Scheduled work and operations: poll cursors, heartbeats, health checks, alerts, merge proposals.

CREATE TABLE cursors (
  connection      TEXT NOT NULL,
  resource        TEXT NOT NULL,
  cursor          TEXT,                     -- ISO time (or vendor token) of the last change enqueued
  last_polled_at  INTEGER,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (connection, resource)
);

CREATE TABLE heartbeats (
  name    TEXT PRIMARY KEY,                 -- cron:*/5, cron:nightly, ...
  at      INTEGER NOT NULL,
  detail  TEXT
);

CREATE TABLE health_checks (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  connection  TEXT NOT NULL,
  at          INTEGER NOT NULL,
  ok          INTEGER NOT NULL,
  latency_ms  INTEGER NOT NULL,
  status      INTEGER,
  detail      TEXT
);
CREATE INDEX health_checks_conn ON health_checks (connection, at);

-- One row per alert key: an outage fires once and recovers once, however many times it is seen.
CREATE TABLE alerts (
  key         TEXT PRIMARY KEY,
  severity    TEXT NOT NULL,                -- info | warning | critical
  title       TEXT NOT NULL,
  detail      TEXT,
  state       TEXT NOT NULL,                -- firing | resolved
  count       INTEGER NOT NULL DEFAULT 1,
  first_at    INTEGER NOT NULL,
  last_at     INTEGER NOT NULL,
  notified_at INTEGER,                      -- last time a notification went out for this key
  resolved_at INTEGER
);

CREATE TABLE alert_log (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  key     TEXT NOT NULL,
  kind    TEXT NOT NULL,                    -- fired | resolved
  at      INTEGER NOT NULL,
  payload TEXT NOT NULL
);

CREATE TABLE merge_proposals (
  id          TEXT PRIMARY KEY,
  a           TEXT NOT NULL,
  b           TEXT NOT NULL,
  score       REAL NOT NULL,
  reasons     TEXT NOT NULL,                -- JSON array
  status      TEXT NOT NULL DEFAULT 'proposed', -- proposed | approved | rejected | merged
  created_at  INTEGER NOT NULL,
  decided_at  INTEGER,
  decided_by  TEXT,
  UNIQUE (a, b)
);

-- A long dedupe run's progress, so it can resume across invocations.
CREATE TABLE job_state (
  name        TEXT PRIMARY KEY,
  state       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- Enrichment results sit beside what people and vendors supplied, never over it.
ALTER TABLE people ADD COLUMN enriched TEXT NOT NULL DEFAULT '{}';
