package io.lodestone.tenancy;

/** A tenant's hard quota would be exceeded (HTTP 403); the message names the quota, its limit and the usage. */
public final class QuotaExceededException extends RuntimeException {
    public QuotaExceededException(String quota, long limit, long usage, String what) {
        super("quota " + quota + " of tenant is " + limit + "; current usage " + usage + (what.isEmpty() ? "" : ", " + what));
    }
}
