-- Internal control of the access log (loggkontroll): a sample is of cases, as before, or of the
-- records of the access log (their places in the unit's chain). A record sample keeps the places of
-- the period's records in `population` and those drawn in `records`; its `cases` and `excluded` stay
-- empty. A review and a corrective action are of a case or of a record, never both.
ALTER TABLE ik_samples ADD COLUMN subject text NOT NULL DEFAULT 'cases' CHECK (subject IN ('cases', 'access-records'));
ALTER TABLE ik_samples ADD COLUMN records jsonb NOT NULL DEFAULT '[]'::jsonb;

-- No foreign key to access_log: the retention purge removes old records, and their reviews stay.
ALTER TABLE ik_reviews ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE ik_reviews ADD COLUMN record_seq bigint;
ALTER TABLE ik_reviews ADD CONSTRAINT ik_reviews_one_subject CHECK ((case_id IS NULL) <> (record_seq IS NULL));

ALTER TABLE ik_corrective ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE ik_corrective ADD COLUMN record_seq bigint;
ALTER TABLE ik_corrective ADD CONSTRAINT ik_corrective_one_subject CHECK ((case_id IS NULL) <> (record_seq IS NULL));
