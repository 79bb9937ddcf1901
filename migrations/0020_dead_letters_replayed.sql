-- The five-minute run looks for letters claimed for a replay in the last day that left no replay
-- trace (`reopenUnsentAndCountOpen` in src/store/dead-letters.ts). Without this it would read every
-- letter ever replayed; only replayed ones are indexed (status leads so the planner takes this
-- index over dead_letters_status for that search).
CREATE INDEX dead_letters_replayed ON dead_letters (status, updated_at) WHERE status = 'replayed';
