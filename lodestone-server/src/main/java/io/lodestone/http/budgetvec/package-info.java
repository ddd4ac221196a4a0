/**
 * BudgetVec's HTTP additions over the turbopuffer API: the JSON Lines import
 * ({@link io.lodestone.http.budgetvec.BudgetVecService}), which writes into an ordinary namespace of the caller's
 * tenant through {@link io.lodestone.tenancy.Tenancy}, in the turbopuffer row shape
 * ({@link io.lodestone.http.tpuf.WriteParser}). Errors are Lodestone's own shape, as for the turbopuffer API.
 * <p>
 * Depends on {@code http}, {@code http.tpuf}, {@code tenancy} and {@code engine}; nothing depends on it but the
 * route table. Stateless and thread-safe.
 */
package io.lodestone.http.budgetvec;
