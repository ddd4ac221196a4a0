package io.lodestone.tenancy;

/**
 * What an admitted request holds against its tenant's quotas while in flight (reserved rows and bytes, a query
 * slot). Close it when the request is done; call {@link #committed()} first when a write succeeded.
 */
public interface Permit extends AutoCloseable {
    /** The write was acknowledged: what it reserved now counts as stored. */
    void committed();

    @Override
    void close();
}
