-- An admin can stop a person from signing in (by password or single sign-on) without removing
-- them from the case file: their sessions and calendar feed end with it.
ALTER TABLE accounts ADD COLUMN disabled boolean NOT NULL DEFAULT false;
