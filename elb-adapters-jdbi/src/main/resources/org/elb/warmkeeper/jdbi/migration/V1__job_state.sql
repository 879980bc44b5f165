-- Job-state rows of AKS provisioning. Runs unchanged on PostgreSQL 15+ and H2 2.x.
-- ${prefix}: the configured table prefix; ${json_type}: jsonb on PostgreSQL, JSON on H2.
CREATE TABLE ${prefix}job_state (
    id              UUID                     NOT NULL PRIMARY KEY,
    job_type        VARCHAR(64)              NOT NULL,
    owner_id        VARCHAR(128)             NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    task_id         VARCHAR(200),
    cluster_state   VARCHAR(200),
    error_category  VARCHAR(64),
    error_code      VARCHAR(512),
    error_message   VARCHAR(100000),
    payload         ${json_type}             NOT NULL,
    row_version     BIGINT                   NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}job_state_status_ck
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'))
);

-- "Recent failed provisions": owner = ? AND type = ? AND status = 'failed' AND updated_at >= ?
-- ORDER BY updated_at DESC, id LIMIT ? is answered by walking this index, newest first.
CREATE INDEX ${prefix}job_state_recent_ix ON ${prefix}job_state (owner_id, job_type, status, updated_at DESC, id);

-- Cancel and GET /api/tasks/{id}: task id, then owner.
CREATE INDEX ${prefix}job_state_task_ix ON ${prefix}job_state (task_id, owner_id);

-- Resume after a restart: queued and running rows of a type, oldest first.
CREATE INDEX ${prefix}job_state_unfinished_ix ON ${prefix}job_state (job_type, status, created_at);
