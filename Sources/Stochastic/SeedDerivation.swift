/// How replication r of run seed S gets its generator seeds.
///
/// Quarter stream: `generatorSeed(S, r) = fmix32(UInt32(r mod 2^32) XOR key(S))`, where `key(S)` is
/// the low 32 bits of SplitMix64's output for S and `fmix32` is MurmurHash3's 32-bit finaliser.
/// Input stream (uncertain inputs): the same with `key(S XOR 0x5EED_1A7E_5EED_1A7E)`.
/// `fmix32` is a bijection on 32-bit words, so for one run seed the replications 1 ... 2^32 get
/// pairwise distinct seeds. mt19937 (the default) uses all 32 bits of its seed, so there no two
/// replications of a run share a stream; ranlxd1/2 and ranlxs2 read 31 bits and ranlux389, mrg and
/// cmrg reduce the seed modulo a prime, so with those a collision is possible, if rare.
/// The derivation depends on nothing but (S, r), so replication r is the same run alone, among
/// thousands, or on any thread. Replication 0 is never a run: sweeps use its stream for random designs.
///
/// One seed in 2^32 maps to 0, which GSL reads as the algorithm's default seed (4357 for
/// mt19937); that replication then shares its stream with whichever replication maps to that default.
public enum SeedDerivation {
    /// The generator seed of replication `replication` (1-based) of run seed `runSeed`.
    public static func generatorSeed(runSeed: UInt64, replication: Int) -> UInt32 {
        let key = UInt32(truncatingIfNeeded: splitMix64(runSeed))
        return fmix32(UInt32(truncatingIfNeeded: replication) ^ key)
    }

    /// The input-stream seed of replication `replication` (1-based) of run seed `runSeed`.
    public static func inputSeed(runSeed: UInt64, replication: Int) -> UInt32 {
        generatorSeed(runSeed: runSeed ^ 0x5EED_1A7E_5EED_1A7E, replication: replication)
    }

    /// SplitMix64's output function applied to `x + golden gamma` (Steele, Lea and Flood 2014).
    public static func splitMix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// MurmurHash3's 32-bit finaliser, a bijection on UInt32 with full avalanche.
    public static func fmix32(_ x: UInt32) -> UInt32 {
        var h = x
        h ^= h >> 16
        h &*= 0x85EB_CA6B
        h ^= h >> 13
        h &*= 0xC2B2_AE35
        h ^= h >> 16
        return h
    }
}
