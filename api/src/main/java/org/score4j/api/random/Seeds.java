package org.score4j.api.random;

/** Derivation of independent seeds from one seed: the SplitMix64 finaliser over (seed, index). */
public final class Seeds {
    private Seeds() {
    }

    /** A well-mixed seed for sub-stream {@code index} of {@code seed}. */
    public static long derive(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A well-mixed seed for the named purpose (e.g. "train", "sample") of {@code seed}. */
    public static long derive(long seed, String purpose) {
        return derive(seed, purpose.hashCode());
    }
}
