-- Each alert_log row is a notification to deliver: `sent_at` is set once the alert webhook
-- answered 2xx (or, with no webhook configured, when it was logged), and the cron retries the rest.
-- Rows from before this migration were counted as sent when they were written.
ALTER TABLE alert_log ADD COLUMN sent_at INTEGER;
ALTER TABLE alert_log ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
UPDATE alert_log SET sent_at = at;
CREATE INDEX alert_log_unsent ON alert_log (key) WHERE sent_at IS NULL;
