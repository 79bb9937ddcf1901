-- A message the platform moved to the dead-letter queue carries no word of its queue; the hub
-- infers it from the body. `queues` lists where a replay sends the message when the queue was
-- inferred (JSON array; an event routed to several queues goes back to each of them), NULL when
-- the hub's own envelope named the one queue. `replay_of` names the letter whose replay failed
-- again and became this one.
ALTER TABLE dead_letters ADD COLUMN queues TEXT;
ALTER TABLE dead_letters ADD COLUMN replay_of TEXT;
CREATE INDEX dead_letters_replay_of ON dead_letters (replay_of) WHERE replay_of IS NOT NULL;
