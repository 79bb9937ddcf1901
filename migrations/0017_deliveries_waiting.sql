-- Deliveries still waiting to be ingested, however old: the overview counts them all, and this
-- index holds only those rows, so the count reads the backlog and not the whole intake history.
CREATE INDEX deliveries_waiting ON deliveries (received_at) WHERE status = 'received';
