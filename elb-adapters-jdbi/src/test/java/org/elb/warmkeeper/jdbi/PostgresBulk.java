package org.elb.warmkeeper.jdbi;

/** SQL that fills a job table with synthetic rows in the database itself (generate_series). */
final class PostgresBulk {

    private PostgresBulk() {}

    /**
     * {@code rows} rows: owner {@code owner-(g % 7919)}, type aks_provision for one row in four, one in ten
     * of each type failed, timestamps one second apart from 2026-01-01, a provision payload with a region.
     */
    static String insertSql(String table, int rows) {
        return "INSERT INTO " + table
                + " (id, job_type, owner_id, status, task_id, error_category, error_code, error_message, payload,"
                + " row_version, created_at, updated_at)"
                + " SELECT lpad(to_hex(g), 32, '0')::uuid,"
                + " CASE g % 4 WHEN 0 THEN 'aks_provision' WHEN 1 THEN 'db_warmup' WHEN 2 THEN 'db_download' ELSE 'image_update' END,"
                + " 'owner-' || (g % 7919),"
                + " CASE WHEN (g / 4) % 10 = 3 THEN 'failed' WHEN (g / 4) % 10 < 7 THEN 'succeeded' ELSE 'running' END,"
                + " 'task-' || g,"
                + " CASE WHEN (g / 4) % 10 = 3 THEN 'QUOTA_EXCEEDED' END, CASE WHEN (g / 4) % 10 = 3 THEN 'QuotaExceeded' END,"
                + " CASE WHEN (g / 4) % 10 = 3 THEN 'Operation could not be completed as it results in exceeding approved quota' END,"
                + " jsonb_build_object('subscription_id', '00000000-0000-4000-8000-000000000001',"
                + "   'resource_group', 'rg-elb', 'cluster_name', 'elb-' || g, 'region', 'koreacentral',"
                + "   'vm_size', 'Standard_E32s_v5', 'node_count', '3'),"
                + " 2,"
                + " TIMESTAMPTZ '2026-01-01 00:00:00+00' + g * INTERVAL '1 second',"
                + " TIMESTAMPTZ '2026-01-01 00:00:00+00' + g * INTERVAL '1 second' + INTERVAL '5 minutes'"
                + " FROM generate_series(1, " + rows + ") AS g";
    }
}
