package io.lodestone.http;

import io.lodestone.doc.InvalidInputException;

import java.time.Duration;

/**
 * Request limits the HTTP layer enforces.
 *
 * @param maxBodyBytes           largest request body, after decompression ({@code server.max_body_bytes})
 * @param maxTopK                largest top_k / limit
 * @param maxBatchRows           most rows (upserts + patches + deletes) in one write
 * @param maxQueriesPerRequest   most queries in one multi-query
 * @param maxNamespaceNameLength longest namespace name ({@code limits.max_namespace_name_length})
 * @param maxAttributeValueBytes largest encoded attribute value ({@code limits.max_attribute_value_bytes})
 * @param maxDimensions          most vector dimensions ({@code limits.max_dimensions})
 * @param requestTimeout         longest time a request may take to arrive ({@code server.request_timeout_seconds})
 */
public record ServerLimits(long maxBodyBytes, int maxTopK, int maxBatchRows, int maxQueriesPerRequest,
                           int maxNamespaceNameLength, long maxAttributeValueBytes, int maxDimensions,
                           Duration requestTimeout) {

    /** {@code name}, or 400 naming the limit when it is longer than {@link #maxNamespaceNameLength}. */
    public String namespaceName(String name) {
        if (name != null && name.length() > maxNamespaceNameLength) {
            throw new InvalidInputException("namespace name is " + name.length() + " characters; the limit is "
                    + maxNamespaceNameLength + " (limits.max_namespace_name_length)");
        }
        return name;
    }
}
