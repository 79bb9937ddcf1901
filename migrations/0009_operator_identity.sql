-- Operator identity: server-side dashboard sessions and per-client sign-in failure counts.

-- A dashboard session. The cookie holds a random id; only its SHA-256 is stored, so a copy of the
-- database opens no session. Logout sets revoked_at; rows past expires_at are purged at sign-in.
CREATE TABLE ops_sessions (
  id_hash     TEXT PRIMARY KEY,             -- hex SHA-256 of the cookie's id
  actor       TEXT NOT NULL,                -- who signed in: token:<label of the ops token used>
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);
CREATE INDEX ops_sessions_expires ON ops_sessions (expires_at);

-- Failed sign-ins and refused credentials per client (a hash of its address), in fixed windows.
CREATE TABLE auth_failures (
  client        TEXT PRIMARY KEY,
  window_start  INTEGER NOT NULL,
  count         INTEGER NOT NULL
);
