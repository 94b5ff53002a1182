package dev.nabla.cpu;

/** The program of {@link LaneKernelsTest}'s first-touch test: loads the native lane kernels before anything else. */
public final class NativeLanesFirst {
    private NativeLanesFirst() {}

    public static void main(String[] args) {
        System.out.println("how: " + NativeLaneKernels.load().how());
    }
}
