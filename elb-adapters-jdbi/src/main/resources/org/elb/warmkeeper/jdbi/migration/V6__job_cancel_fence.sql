-- The cancel fence of a job row. Runs unchanged on PostgreSQL 15+ and H2 2.x.
-- ${prefix}: the configured table prefix; ${payload_text}: the payload column as JSON text.

-- TRUE once a cancel has recorded "cancel_requested" in the payload (a compare-and-set before it stops
-- anything or sends an abort or delete). The status words do not change: a fenced row is still queued
-- or running until its cancel ends it cancelled. The update's guard reads this column so that even a
-- writer skipping the core's check cannot end a fenced row succeeded or failed.
ALTER TABLE ${prefix}job_state ADD COLUMN cancel_fenced BOOLEAN DEFAULT FALSE NOT NULL;

-- Rows written before this column: a payload holding the key is fenced. In the JSON text of a map of
-- strings only a key is followed by a colon ("cancel_requested": on PostgreSQL, "cancel_requested": on
-- H2); a value equal to the key is followed by a comma or a brace, and a quote inside a value is escaped.
UPDATE ${prefix}job_state SET cancel_fenced = TRUE WHERE ${payload_text} LIKE '%"cancel_requested":%';
