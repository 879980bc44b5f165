-- Heartbeats of unfinished jobs and retention of finished ones. Runs unchanged on PostgreSQL 15+ and H2 2.x.
-- ${prefix}: the configured table prefix.

-- The worker following a job writes its heartbeat here at most every few seconds while it polls; the
-- row's version and updated_at do not move. The dead-job sweep reads the later of the two.
ALTER TABLE ${prefix}job_state ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;

-- Retention: job_type = ? AND status IN (finished) AND updated_at < ? ORDER BY updated_at LIMIT ? walks
-- this index, oldest first, a small batch at a time.
CREATE INDEX ${prefix}job_state_retention_ix ON ${prefix}job_state (job_type, status, updated_at);
