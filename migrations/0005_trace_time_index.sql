-- The overview's throughput-per-stage reads the last 24 hours of traces by time.
CREATE INDEX traces_at ON traces (at);
