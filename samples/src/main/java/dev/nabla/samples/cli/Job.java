package dev.nabla.samples.cli;

import dev.nabla.backend.Backend;

/**
 * What a sample's body gets from {@link SampleRunner}: its parsed options, the backend they chose (already
 * the default, so tensors and models land there), and its output folder.
 */
public record Job(Options options, Backend backend, Output output) {}
