package io.lodestone.wal;

import io.lodestone.doc.DocId;
import io.lodestone.doc.Document;

import java.util.Map;

/** One operation of a committed write, in the order it is applied. Values are already normalized to the schema. */
public sealed interface WriteOp {

    /** Insert or replace a whole document. */
    record Upsert(Document document) implements WriteOp {
    }

    /** Set attributes of an existing document (a null value removes the attribute); absent ids are ignored. */
    record Patch(DocId id, Map<String, Object> attributes) implements WriteOp {
    }

    /** Delete a document; absent ids are ignored. */
    record Delete(DocId id) implements WriteOp {
    }

    /** Delete every document matching the filter (canonical JSON) at this point of the log. */
    record DeleteByFilter(String filterJson) implements WriteOp {
    }

    /** Patch every document matching the filter (canonical JSON) at this point of the log. */
    record PatchByFilter(String filterJson, Map<String, Object> attributes) implements WriteOp {
    }
}
