-- Auto-warm preferences and the downloaded-database inventory.
CREATE TABLE ${prefix}autowarm_cluster (
    subscription_id  VARCHAR(36)              NOT NULL,
    resource_group   VARCHAR(90)              NOT NULL,
    cluster_name     VARCHAR(63)              NOT NULL,
    last_ready       BOOLEAN                  NOT NULL,
    ready_edge_at    TIMESTAMP WITH TIME ZONE,
    enabled_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}autowarm_cluster_pk PRIMARY KEY (subscription_id, resource_group, cluster_name)
);

CREATE TABLE ${prefix}autowarm_database (
    subscription_id  VARCHAR(36)  NOT NULL,
    resource_group   VARCHAR(90)  NOT NULL,
    cluster_name     VARCHAR(63)  NOT NULL,
    database_name    VARCHAR(100) NOT NULL,
    db_order         INTEGER      NOT NULL,
    CONSTRAINT ${prefix}autowarm_database_pk PRIMARY KEY (subscription_id, resource_group, cluster_name, database_name),
    CONSTRAINT ${prefix}autowarm_database_fk FOREIGN KEY (subscription_id, resource_group, cluster_name)
        REFERENCES ${prefix}autowarm_cluster (subscription_id, resource_group, cluster_name) ON DELETE CASCADE
);

CREATE TABLE ${prefix}downloaded_database (
    subscription_id  VARCHAR(36)              NOT NULL,
    resource_group   VARCHAR(90)              NOT NULL,
    cluster_name     VARCHAR(63)              NOT NULL,
    database_name    VARCHAR(100)             NOT NULL,
    downloaded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}downloaded_database_pk PRIMARY KEY (subscription_id, resource_group, cluster_name, database_name)
);
