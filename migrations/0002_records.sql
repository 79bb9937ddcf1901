-- Canonical events, golden records with field-level provenance, ID links, drift, applied actions.

CREATE TABLE events (
  id              TEXT PRIMARY KEY,          -- deterministic per delivery: replays dedupe here
  type            TEXT NOT NULL,
  delivery_id     TEXT NOT NULL,
  source_system   TEXT NOT NULL,
  subject_kind    TEXT NOT NULL,
  subject_ext_id  TEXT,
  occurred_at     TEXT NOT NULL,
  received_at     TEXT NOT NULL,
  data            TEXT,                      -- canonical JSON; NULL once purged by retention
  recorded_at     INTEGER NOT NULL
);
CREATE INDEX events_delivery ON events (delivery_id);
CREATE INDEX events_type ON events (type, recorded_at);

-- Golden person: the authoritative record; `fields` is JSON {field: {value, system, at}}.
CREATE TABLE people (
  id               TEXT PRIMARY KEY,
  first_name       TEXT,
  last_name        TEXT,
  email            TEXT,
  phone            TEXT,
  lead_source      TEXT,                     -- the source that produced the person (ROI)
  lead_system      TEXT,
  fields           TEXT NOT NULL DEFAULT '{}',
  merged_into      TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX people_name ON people (last_name, first_name);

-- Identity keys for matching a new lead to a golden person: normalized email, E.164 phone.
CREATE TABLE person_keys (
  kind       TEXT NOT NULL,                  -- email | phone
  value      TEXT NOT NULL,
  person_id  TEXT NOT NULL,
  PRIMARY KEY (kind, value)
);
CREATE INDEX person_keys_person ON person_keys (person_id);

-- Golden deal / transaction.
CREATE TABLE deals (
  id              TEXT PRIMARY KEY,
  person_id       TEXT,
  name            TEXT,
  stage           TEXT,
  price_cents     INTEGER,
  gci_cents       INTEGER,
  lead_source     TEXT,                      -- follows the person's source to close
  fields          TEXT NOT NULL DEFAULT '{}',
  closed_at       INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX deals_person ON deals (person_id);

-- ID links: one canonical id ↔ each system's id, unique per system and kind.
CREATE TABLE links (
  system       TEXT NOT NULL,
  kind         TEXT NOT NULL,                -- person | deal | transaction | invoice | customer | vendor
  external_id  TEXT NOT NULL,
  canonical_id TEXT NOT NULL,
  connection   TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (system, kind, external_id)
);
CREATE INDEX links_canonical ON links (canonical_id);

-- Effects already applied to a vendor for an event: a redelivered event changes nothing.
CREATE TABLE applied_actions (
  event_id     TEXT NOT NULL,
  action       TEXT NOT NULL,
  result       TEXT,
  at           INTEGER NOT NULL,
  PRIMARY KEY (event_id, action)
);

-- Schema drift seen in source payloads, once per (source, field, kind) with a count.
CREATE TABLE drift (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  source      TEXT NOT NULL,
  field       TEXT NOT NULL,
  kind        TEXT NOT NULL,
  sample      TEXT,
  first_seen  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  count       INTEGER NOT NULL DEFAULT 1,
  UNIQUE (source, field, kind)
);

-- Small named counters (round-robin lead routing).
CREATE TABLE counters (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);
