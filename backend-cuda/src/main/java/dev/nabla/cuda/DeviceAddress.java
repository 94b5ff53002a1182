package dev.nabla.cuda;

/** A device address passed to a kernel as a pointer argument ({@link Param#PTR}). */
record DeviceAddress(long value) {}
