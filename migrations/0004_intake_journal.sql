-- Optional write-ahead journal of accepted deliveries (INTAKE_JOURNAL=on). Cloudflare Queues are
-- durable, so production leaves it off; the local runtime keeps queued messages in memory, so
-- local runs that restart the hub (npm start, the chaos soak) turn it on and the cron re-enqueues
-- what a restart dropped.
CREATE TABLE intake_journal (
  delivery_id  TEXT PRIMARY KEY,
  message      TEXT NOT NULL,
  accepted_at  INTEGER NOT NULL
);
CREATE INDEX intake_journal_at ON intake_journal (accepted_at);
