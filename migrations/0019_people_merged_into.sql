-- Who was merged into a person: the record page's "merged from" and auto-merge's check for an
-- operator's earlier rejection (a recursive walk down the merges) read people by `merged_into`.
-- Without this, each step of that walk scans every person the brokerage holds. Most people were
-- never merged, so only those who were are indexed.
CREATE INDEX people_merged_into ON people (merged_into) WHERE merged_into IS NOT NULL;
