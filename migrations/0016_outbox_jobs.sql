-- The outbox also holds job messages a change sets off (a CRM note for each person who asked
-- about a listing that changed): `queue` names the queue a job row goes to; NULL is a canonical
-- event, which goes where the routing table sends its type.
ALTER TABLE outbox ADD COLUMN queue TEXT;
