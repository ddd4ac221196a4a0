package io.lodestone.wal;

import io.lodestone.doc.AttributeSchema;
import io.lodestone.doc.IndexConfig;
import io.lodestone.vector.DistanceMetric;

import java.util.List;
import java.util.Map;

/**
 * One client write request as committed: applied atomically, all or nothing.
 *
 * @param metric        distance metric set by this request, or null
 * @param schemaChanges attributes declared or inferred by this request
 * @param ops           operations in order
 * @param index         index settings set by this request, or null
 */
public record WriteBatch(DistanceMetric metric, Map<String, AttributeSchema> schemaChanges, List<WriteOp> ops,
                         IndexConfig index) {
    public WriteBatch {
        schemaChanges = schemaChanges == null ? Map.of() : schemaChanges;
        ops = List.copyOf(ops);
    }

    public WriteBatch(DistanceMetric metric, Map<String, AttributeSchema> schemaChanges, List<WriteOp> ops) {
        this(metric, schemaChanges, ops, null);
    }
}
