-- The store keeps no personnummer: a member's number becomes a keyed hash under the installation's
-- key (person_ref), written by the next import. Until then none is kept; the cases' content hashes
-- are reset so that import rewrites every case's members.
ALTER TABLE members RENAME COLUMN person_id TO person_ref;
ALTER TABLE members ALTER COLUMN person_ref DROP NOT NULL;
UPDATE members SET person_ref = NULL;
UPDATE cases SET content_hash = 'before-person-ref';
