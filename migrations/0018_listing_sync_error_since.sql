-- When a run's current page first failed since its last applied page: a page retried every minute
-- or two keeps `updated_at` fresh (the cron must not resume a page that is still being retried),
-- so this is what tells a run that keeps failing from one that is moving.
ALTER TABLE listing_sync ADD COLUMN error_since INTEGER;
