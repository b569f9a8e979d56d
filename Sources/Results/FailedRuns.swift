import GRDB

extension ResultStore {
    /// Up to `limit` failed runs, each as "point P replication R: error", by point and replication.
    public func failedRunExamples(limit: Int) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT 'point ' || point_id || ' replication ' || replication || ': ' || error FROM runs
                WHERE status = 'failed' ORDER BY point_id, replication LIMIT ?
                """, arguments: [limit])
        }
    }
}
