-- Opaque references for page addresses: a task id and a review id name a case, and addresses end
-- up in browser history, logs and referrers. Random, so nothing can be derived from one.
ALTER TABLE tasks ADD COLUMN ref uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX tasks_by_ref ON tasks (ref);
ALTER TABLE ik_reviews ADD COLUMN ref uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX ik_reviews_by_ref ON ik_reviews (ref);
