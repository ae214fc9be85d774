-- A case whose investigation names a registered gathering as the exposure is
-- linked to it: one gathering per case, as the investigation record names it
-- (recording it again replaces the link). The gathering's path is kept
-- beside the link, so that the clusters under a node (gatherings with their
-- linked cases) are counted from this table and the gatherings it names.
CREATE TABLE gathering_cases (
    case_id BLOB PRIMARY KEY REFERENCES cases (id),
    gathering_id BLOB NOT NULL REFERENCES gatherings (id),
    gathering_path TEXT NOT NULL,
    linked_at INTEGER NOT NULL
) STRICT;
CREATE INDEX gathering_cases_by_path ON gathering_cases (gathering_path, gathering_id);
