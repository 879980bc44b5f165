-- Which clusters have been seeded from configuration: a cluster is seeded once, so what users change
-- later (turned off, databases removed) survives restarts; a re-seed on purpose rewrites the row.
CREATE TABLE ${prefix}autowarm_seed (
    subscription_id  VARCHAR(36)              NOT NULL,
    resource_group   VARCHAR(90)              NOT NULL,
    cluster_name     VARCHAR(63)              NOT NULL,
    seeded_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}autowarm_seed_pk PRIMARY KEY (subscription_id, resource_group, cluster_name)
);
