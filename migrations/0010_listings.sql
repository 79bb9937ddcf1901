-- MLS listings replicated from a RESO Web API feed: the property golden record, the replication
-- state of each feed, and who inquired about which listing.

-- One row per listing, keyed by the RESO ListingKey; ListingId is the MLS number people quote.
-- Prices in integer cents; the address in the hub's normalized (USPS) form, with a match key;
-- `data` is the validated RESO record (Data Dictionary 2.0 names); `provenance` says, per field,
-- which system and change time it came from.
CREATE TABLE listings (
  listing_key TEXT PRIMARY KEY,
  listing_id TEXT,
  connection TEXT NOT NULL,
  standard_status TEXT,
  list_price_cents INTEGER,
  close_price_cents INTEGER,
  address TEXT,
  address_key TEXT,
  city TEXT,
  state TEXT,
  zip TEXT,
  beds INTEGER,
  baths REAL,
  area_sqft REAL,
  property_type TEXT,
  list_agent_key TEXT,
  list_agent_name TEXT,
  list_office_key TEXT,
  list_office_name TEXT,
  modified_at TEXT NOT NULL,
  modified_ms INTEGER NOT NULL,
  data TEXT NOT NULL,
  provenance TEXT NOT NULL,
  -- The keys-only pass that last saw the listing in the feed; out_of_feed_at once a pass did not.
  keys_pass TEXT,
  out_of_feed_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX listings_by_mls_number ON listings (listing_id);
CREATE INDEX listings_by_address ON listings (address_key);
CREATE INDEX listings_by_modified ON listings (connection, modified_ms);
-- The ops API and dashboard list the most recently changed listings first.
CREATE INDEX listings_by_recent ON listings (modified_ms DESC, listing_key);

-- Replication state per connection and job (`Property`: full then incremental sync;
-- `Property#keys`: the keys-only pass). `seq` numbers the page messages: a page is applied only by
-- the message carrying the current seq, so a duplicate or stale message changes nothing.
CREATE TABLE listing_sync (
  connection TEXT NOT NULL,
  job TEXT NOT NULL,
  phase TEXT NOT NULL,
  status TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  next_link TEXT,
  cursor TEXT,
  pass_id TEXT,
  pages INTEGER NOT NULL DEFAULT 0,
  records INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  removed INTEGER NOT NULL DEFAULT 0,
  last_page_bytes INTEGER,
  started_at INTEGER,
  completed_at INTEGER,
  updated_at INTEGER NOT NULL,
  error TEXT,
  PRIMARY KEY (connection, job)
);

-- A person who asked about a listing (a lead naming its MLS number or address).
CREATE TABLE listing_inquiries (
  listing_key TEXT NOT NULL,
  person_id TEXT NOT NULL,
  event_id TEXT,
  at INTEGER NOT NULL,
  PRIMARY KEY (listing_key, person_id)
);
CREATE INDEX listing_inquiries_by_person ON listing_inquiries (person_id);
