package dev.nabla.data;

/**
 * One fold of a K-fold cross-validation: train on {@code train}, score on {@code test}.
 *
 * @param index the fold's number, 0 … k−1
 * @param train the samples of every other fold
 * @param test  this fold's samples
 */
public record Fold(int index, Dataset train, Dataset test) {}
