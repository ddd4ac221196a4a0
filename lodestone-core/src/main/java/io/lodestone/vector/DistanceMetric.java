package io.lodestone.vector;

/** Placeholder until the vector package lands. */
public enum DistanceMetric { COSINE_DISTANCE, EUCLIDEAN_SQUARED, DOT_PRODUCT }
