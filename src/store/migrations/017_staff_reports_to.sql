-- Which deputy head a caseworker reports to (the case file's optional staff field reportsTo): a
-- deputy head's escalations hold their own caseworkers' tasks; without it, every deputy head's do.
ALTER TABLE staff ADD COLUMN reports_to text;
