package io.lodestone.engine;

import io.lodestone.doc.DocId;

import java.util.List;

/**
 * Outcome of an acknowledged write.
 *
 * @param rowsUpserted documents inserted or replaced
 * @param rowsPatched  documents patched (existing ones only)
 * @param rowsDeleted  documents deleted (existing ones only)
 * @param affectedIds  ids touched, in operation order
 * @param seq          log slot the write was committed in
 */
public record WriteResult(long rowsUpserted, long rowsPatched, long rowsDeleted, List<DocId> affectedIds, long seq) {
    public long rowsAffected() {
        return rowsUpserted + rowsPatched + rowsDeleted;
    }
}
