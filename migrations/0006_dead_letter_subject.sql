-- One open dead letter per stuck subject. A failure that is about something other than its
-- message (a deal halted on missing data, which every later notice of the deal halts on again)
-- names that subject; while its letter is open, further failures about it refresh that letter
-- instead of adding one per notice. Letters without a subject are one per message, as before.
ALTER TABLE dead_letters ADD COLUMN subject TEXT;
CREATE UNIQUE INDEX dead_letters_open_subject ON dead_letters (subject) WHERE status = 'open' AND subject IS NOT NULL;
