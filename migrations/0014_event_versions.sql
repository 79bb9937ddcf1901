-- Versions and results as typed fields. An applied action of a change the hub derives from its own
-- golden records (a person's contact change, a deal's status change) keeps which record it changed
-- and the version it carried in columns of their own, and the lead action's result is a JSON
-- object; nothing reads them back out of event ids or packed strings any more.
-- Rows written before kept the version at the end of the event id (`<person>:contact:<version>`,
-- `<deal>:status:<stage>:<version>`) and the lead's outcome as `<stage>|<person>|<crm id>`: this
-- migration reads those once, here, so existing rows stay readable.

ALTER TABLE applied_actions ADD COLUMN kind TEXT;        -- 'contact' | 'status'; NULL: not a versioned change
ALTER TABLE applied_actions ADD COLUMN subject TEXT;     -- the golden person's or deal's id
ALTER TABLE applied_actions ADD COLUMN version INTEGER;  -- grows with every change of the record
CREATE INDEX applied_actions_version ON applied_actions (subject, kind, action, version) WHERE version IS NOT NULL;

UPDATE applied_actions
SET kind = 'contact',
    subject = substr(event_id, 1, instr(event_id, ':contact:') - 1),
    version = CAST(substr(event_id, instr(event_id, ':contact:') + 9) AS INTEGER)
WHERE action IN ('crm.contact', 'tms.contact')
  AND instr(event_id, ':contact:') > 1
  AND substr(event_id, instr(event_id, ':contact:') + 9) <> ''
  AND substr(event_id, instr(event_id, ':contact:') + 9) NOT GLOB '*[^0-9]*';

-- After `:status:` come the stage (no colon in any stage name) and the version.
UPDATE applied_actions
SET kind = 'status',
    subject = substr(event_id, 1, instr(event_id, ':status:') - 1),
    version = CAST(substr(substr(event_id, instr(event_id, ':status:') + 8), instr(substr(event_id, instr(event_id, ':status:') + 8), ':') + 1) AS INTEGER)
WHERE action = 'crm.status'
  AND instr(event_id, ':status:') > 1
  AND instr(substr(event_id, instr(event_id, ':status:') + 8), ':') > 1
  AND substr(substr(event_id, instr(event_id, ':status:') + 8), instr(substr(event_id, instr(event_id, ':status:') + 8), ':') + 1) <> ''
  AND substr(substr(event_id, instr(event_id, ':status:') + 8), instr(substr(event_id, instr(event_id, ':status:') + 8), ':') + 1) NOT GLOB '*[^0-9]*';

-- `<stage>|<person>|<crm id>` (the CRM id empty when the CRM gave none) becomes
-- {"stage", "personId", "crmId"}.
UPDATE applied_actions
SET result = json_object(
      'stage', substr(result, 1, instr(result, '|') - 1),
      'personId', substr(substr(result, instr(result, '|') + 1), 1, instr(substr(result, instr(result, '|') + 1), '|') - 1),
      'crmId', NULLIF(substr(substr(result, instr(result, '|') + 1), instr(substr(result, instr(result, '|') + 1), '|') + 1), ''))
WHERE action = 'crm.lead'
  AND result IS NOT NULL
  AND instr(result, '|') > 1
  AND instr(substr(result, instr(result, '|') + 1), '|') > 1;

-- Open dead letters of such changes are replayed later as they were stored: their events get the
-- version as the typed `recordVersion` the consumers now order them by.
UPDATE dead_letters
SET payload = json_set(payload, '$.event.recordVersion', CAST(substr(json_extract(payload, '$.event.id'), instr(json_extract(payload, '$.event.id'), ':contact:') + 9) AS INTEGER))
WHERE status = 'open'
  AND json_valid(payload)
  AND json_extract(payload, '$.event.type') = 'person.upserted'
  AND json_extract(payload, '$.event.recordVersion') IS NULL
  AND instr(json_extract(payload, '$.event.id'), ':contact:') > 1
  AND substr(json_extract(payload, '$.event.id'), instr(json_extract(payload, '$.event.id'), ':contact:') + 9) <> ''
  AND substr(json_extract(payload, '$.event.id'), instr(json_extract(payload, '$.event.id'), ':contact:') + 9) NOT GLOB '*[^0-9]*';

UPDATE dead_letters
SET payload = json_set(payload, '$.event.recordVersion', CAST(substr(substr(json_extract(payload, '$.event.id'), instr(json_extract(payload, '$.event.id'), ':status:') + 8), instr(substr(json_extract(payload, '$.event.id'), instr(json_extract(payload, '$.event.id'), ':status:') + 8), ':') + 1) AS INTEGER))
WHERE status = 'open'
  AND json_valid(payload)
  AND json_extract(payload, '$.event.type') = 'transaction.status_changed'
  AND json_extract(payload, '$.event.recordVersion') IS NULL
  AND instr(json_extract(payload, '$.event.id'), ':status:') > 1
  AND instr(substr(json_extract(payload, '$.event.id'), instr(json_extract(payload, '$.event.id'), ':status:') + 8), ':') > 1
  AND substr(substr(json_extract(payload, '$.event.id'), instr(json_extract(payload, '$.event.id'), ':status:') + 8), instr(substr(json_extract(payload, '$.event.id'), instr(json_extract(payload, '$.event.id'), ':status:') + 8), ':') + 1) <> ''
  AND substr(substr(json_extract(payload, '$.event.id'), instr(json_extract(payload, '$.event.id'), ':status:') + 8), instr(substr(json_extract(payload, '$.event.id'), instr(json_extract(payload, '$.event.id'), ':status:') + 8), ':') + 1) NOT GLOB '*[^0-9]*';
