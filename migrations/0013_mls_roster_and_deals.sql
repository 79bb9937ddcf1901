-- MLS replication, continued: the list agents and offices of a feed (RESO Member and Office),
-- and deals linked to the listing they are about.

-- RESO Member records (Data Dictionary 2.0 names in `data`), keyed by MemberKey.
CREATE TABLE mls_members (
  member_key TEXT PRIMARY KEY,
  connection TEXT NOT NULL,
  member_mls_id TEXT,
  full_name TEXT,
  email TEXT,
  phone TEXT,
  status TEXT,
  office_key TEXT,
  modified_at TEXT NOT NULL,
  modified_ms INTEGER NOT NULL,
  data TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- RESO Office records, keyed by OfficeKey.
CREATE TABLE mls_offices (
  office_key TEXT PRIMARY KEY,
  connection TEXT NOT NULL,
  office_mls_id TEXT,
  name TEXT,
  phone TEXT,
  email TEXT,
  status TEXT,
  modified_at TEXT NOT NULL,
  modified_ms INTEGER NOT NULL,
  data TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- A golden deal whose property is an MLS listing (the deal named its MLS number or address).
CREATE TABLE listing_deals (
  listing_key TEXT NOT NULL,
  deal_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (listing_key, deal_id)
);
CREATE INDEX listing_deals_by_deal ON listing_deals (deal_id);
