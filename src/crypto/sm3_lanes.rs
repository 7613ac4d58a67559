//! SM3 over several messages at once, one message per 32-bit lane of a SIMD register.
//!
//! One SM3 computation is a chain of compressions, each waiting for the previous one, so a
//! single message cannot use more than one lane. A verification, however, hashes independent
//! messages: SES_SealInfo for the maker, TBS_Sign for the signer and the document for dataHash,
//! and a batch hashes those of many signatures. [`digest_many`] runs up to eight of them side
//! by side in 256-bit registers. On the development machine (AVX-512VL), one step of all eight
//! lanes took about 1.5 times as long as one scalar compression. Two messages of the same length
//! then take about 0.75 of the time they take one after another, and eight about 0.2.
//!
//! The lanes use AVX2, or AVX-512VL when the processor has it for its rotations and
//! three-input logic. Without either, and for a single message, the `sm3` crate hashes the
//! messages one after another. The tests compare every path with the `sm3` crate.

use sm3::{Digest, Sm3};

/// The number of messages hashed side by side.
const LANES: usize = 8;

/// SM3's initial value, GB/T 32905-2016 section 4.1.
const IV: [u32; 8] = [
    0x7380_166f,
    0x4914_b2b9,
    0x1724_42d7,
    0xda8a_0600,
    0xa96f_30bc,
    0x1631_38aa,
    0xe38d_ee4d,
    0xb0fb_0e4e,
];

/// One message: the concatenation of its parts, such as Z followed by TBS_Sign.
pub(crate) type Message<'a> = &'a [&'a [u8]];

/// The chaining values of all lanes: `state[word][lane]`.
type State = [[u32; LANES]; 8];

/// The next block of every lane, as bytes in message order.
type Blocks = [[u8; 64]; LANES];

/// Returns the SM3 digest of each message, in the same order.
pub(crate) fn digest_many(messages: &[Message<'_>]) -> Vec<[u8; 32]> {
    #[cfg(target_arch = "x86_64")]
    if messages.len() > 1
        && let Some(digests) = x86::digest_many(messages)
    {
        return digests;
    }
    messages.iter().map(|parts| digest_one(parts)).collect()
}

/// Hashes one message with the `sm3` crate.
fn digest_one(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sm3::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// Reads a message's padded blocks one at a time: the message bytes, then 0x80, zeros and
/// the message length in bits as a 64-bit big-endian number (GB/T 32905-2016 section 5.2).
struct Feeder<'a> {
    parts: &'a [&'a [u8]],
    /// The part being read and the offset in it.
    part: usize,
    offset: usize,
    /// The message length and the number of bytes given out so far, padding included.
    length: u64,
    position: u64,
}

impl<'a> Feeder<'a> {
    fn new(parts: &'a [&'a [u8]]) -> Self {
        let length = parts.iter().map(|part| part.len() as u64).sum();
        Self {
            parts,
            part: 0,
            offset: 0,
            length,
            position: 0,
        }
    }

    /// Returns the length of the padded message, a multiple of 64.
    fn padded_length(&self) -> u64 {
        (self.length + 9).div_ceil(64) * 64
    }

    /// Writes the next block to `block`; returns true when it is the last one.
    fn next_block(&mut self, block: &mut [u8; 64]) -> bool {
        let data = self.length.saturating_sub(self.position).min(64) as usize;
        let mut filled = 0;
        while filled < data {
            let part = self.parts[self.part];
            let take = (part.len() - self.offset).min(data - filled);
            block[filled..filled + take].copy_from_slice(&part[self.offset..self.offset + take]);
            filled += take;
            self.offset += take;
            if self.offset == part.len() {
                self.part += 1;
                self.offset = 0;
            }
        }
        if data < 64 {
            let padded = self.padded_length();
            for (index, byte) in block.iter_mut().enumerate().skip(data) {
                let at = self.position + index as u64;
                *byte = if at == self.length {
                    0x80
                } else if at >= padded - 8 {
                    let shift = 8 * (padded - 1 - at);
                    ((self.length * 8) >> shift) as u8
                } else {
                    0
                };
            }
        }
        self.position += 64;
        self.position == self.padded_length()
    }
}

/// Runs the messages through `compress`, which updates every lane's state with its block.
///
/// Messages go to lanes longest first, and a lane that finishes takes the next message, so
/// that the lanes finish at about the same time. A lane without a message compresses a block
/// of zeros whose result is ignored.
fn drive(messages: &[Message<'_>], mut compress: impl FnMut(&mut State, &Blocks)) -> Vec<[u8; 32]> {
    let mut order: Vec<usize> = (0..messages.len()).collect();
    order.sort_by_key(|&index| {
        std::cmp::Reverse(messages[index].iter().map(|part| part.len()).sum::<usize>())
    });
    let mut queue = order.into_iter();

    let mut digests = vec![[0u8; 32]; messages.len()];
    let mut state: State = [[0; LANES]; 8];
    let mut blocks: Blocks = [[0; 64]; LANES];
    let mut lanes: [Option<(usize, Feeder<'_>)>; LANES] = Default::default();
    let mut last = [false; LANES];
    loop {
        let mut active = false;
        for (lane, slot) in lanes.iter_mut().enumerate() {
            if slot.is_none()
                && let Some(index) = queue.next()
            {
                *slot = Some((index, Feeder::new(messages[index])));
                for (word, value) in state.iter_mut().zip(IV) {
                    word[lane] = value;
                }
            }
            match slot {
                Some((_, feeder)) => {
                    last[lane] = feeder.next_block(&mut blocks[lane]);
                    active = true;
                }
                None => blocks[lane] = [0; 64],
            }
        }
        if !active {
            return digests;
        }
        compress(&mut state, &blocks);
        for (lane, slot) in lanes.iter_mut().enumerate() {
            if last[lane] {
                if let Some((index, _)) = slot.take() {
                    for (word, chunk) in state.iter().zip(digests[index].chunks_exact_mut(4)) {
                        chunk.copy_from_slice(&word[lane].to_be_bytes());
                    }
                }
                last[lane] = false;
            }
        }
    }
}

/// T_j of the compression function, rotated left by j as the round uses it.
const fn round_constants() -> [u32; 64] {
    let mut constants = [0; 64];
    let mut j = 0;
    while j < 64 {
        let t: u32 = if j < 16 { 0x79cc_4519 } else { 0x7a87_9d8a };
        constants[j] = t.rotate_left((j % 32) as u32);
        j += 1;
    }
    constants
}

const ROUND_CONSTANTS: [u32; 64] = round_constants();

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod x86 {
    use super::{Blocks, LANES, Message, State, drive};
    use std::arch::x86_64::*;

    /// Hashes the messages in AVX-512VL or AVX2 lanes; `None` when the processor has neither.
    pub(super) fn digest_many(messages: &[Message<'_>]) -> Option<Vec<[u8; 32]>> {
        if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512vl") {
            // SAFETY: the processor has AVX2 (implied by AVX-512F), AVX-512F and AVX-512VL,
            // checked just above, which are the features `avx512::compress` is compiled for.
            return Some(drive(messages, |state, blocks| unsafe {
                avx512::compress(state, blocks)
            }));
        }
        if is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above, the only feature
            // `avx2::compress` is compiled for.
            return Some(drive(messages, |state, blocks| unsafe {
                avx2::compress(state, blocks)
            }));
        }
        None
    }

    /// One round of the compression function (GB/T 32905-2016 section 5.3.3) on the lanes.
    /// Rather than moving every register, the round writes the new A into `$d` and the new E
    /// into `$h`, and the next round takes the eight names rotated by one.
    macro_rules! round {
        ($w:ident, $j:expr, $ff:ident, $gg:ident,
         $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident) => {
            let a12 = rotl::<12>($a);
            let t = _mm256_set1_epi32(ROUND_CONSTANTS[$j] as i32);
            let ss1 = rotl::<7>(add(a12, add($e, t)));
            let ss2 = _mm256_xor_si256(ss1, a12);
            let w_prime = _mm256_xor_si256($w[$j], $w[$j + 4]);
            // The sums are ordered so that SS1 and SS2, the last values ready, come last.
            $d = add(add(add($ff($a, $b, $c), $d), w_prime), ss2);
            $h = p0(add(add(add($gg($e, $f, $g), $h), $w[$j]), ss1));
            $b = rotl::<9>($b);
            $f = rotl::<19>($f);
        };
    }

    /// Runs four rounds from round `$j`, after which every name contains its own word again.
    macro_rules! four_rounds {
        ($w:ident, $j:expr, $ff:ident, $gg:ident, $a:ident, $b:ident, $c:ident, $d:ident,
         $e:ident, $f:ident, $g:ident, $h:ident) => {
            round!($w, $j, $ff, $gg, $a, $b, $c, $d, $e, $f, $g, $h);
            round!($w, $j + 1, $ff, $gg, $d, $a, $b, $c, $h, $e, $f, $g);
            round!($w, $j + 2, $ff, $gg, $c, $d, $a, $b, $g, $h, $e, $f);
            round!($w, $j + 3, $ff, $gg, $b, $c, $d, $a, $f, $g, $h, $e);
        };
    }

    /// Expands the message words `$k .. $k + 4` (GB/T 32905-2016 section 5.3.2).
    macro_rules! expand {
        ($w:ident, $k:expr) => {
            for i in $k..$k + 4 {
                let x = xor3($w[i - 16], $w[i - 9], rotl::<15>($w[i - 3]));
                $w[i] = xor3(p1(x), rotl::<7>($w[i - 13]), $w[i - 6]);
            }
        };
    }

    /// The functions that are the same for every instruction set, given `rotl`, `xor3`,
    /// `majority` and `choose` in the module.
    macro_rules! compress_with {
        ($features:literal) => {
            use crate::crypto::sm3_lanes::ROUND_CONSTANTS;

            /// Loads 32 bytes.
            #[target_feature(enable = $features)]
            fn load(bytes: &[u8; 32]) -> __m256i {
                // SAFETY: `bytes` is 32 readable bytes, and `loadu` needs no alignment.
                unsafe { _mm256_loadu_si256(bytes.as_ptr().cast()) }
            }

            /// Loads one word of every lane.
            #[target_feature(enable = $features)]
            fn load_words(words: &[u32; LANES]) -> __m256i {
                // SAFETY: `words` is 8 readable words, 32 bytes, and `loadu` needs no
                // alignment.
                unsafe { _mm256_loadu_si256(words.as_ptr().cast()) }
            }

            /// Stores one word of every lane.
            #[target_feature(enable = $features)]
            fn store_words(value: __m256i, words: &mut [u32; LANES]) {
                // SAFETY: `words` is 8 writable words, 32 bytes, and `storeu` needs no
                // alignment.
                unsafe { _mm256_storeu_si256(words.as_mut_ptr().cast(), value) }
            }

            /// Transposes eight rows of eight words: `rows[lane][word]` to `[word][lane]`.
            #[target_feature(enable = $features)]
            fn transpose(rows: [__m256i; 8]) -> [__m256i; 8] {
                let t0 = _mm256_unpacklo_epi32(rows[0], rows[1]);
                let t1 = _mm256_unpackhi_epi32(rows[0], rows[1]);
                let t2 = _mm256_unpacklo_epi32(rows[2], rows[3]);
                let t3 = _mm256_unpackhi_epi32(rows[2], rows[3]);
                let t4 = _mm256_unpacklo_epi32(rows[4], rows[5]);
                let t5 = _mm256_unpackhi_epi32(rows[4], rows[5]);
                let t6 = _mm256_unpacklo_epi32(rows[6], rows[7]);
                let t7 = _mm256_unpackhi_epi32(rows[6], rows[7]);
                let u0 = _mm256_unpacklo_epi64(t0, t2);
                let u1 = _mm256_unpackhi_epi64(t0, t2);
                let u2 = _mm256_unpacklo_epi64(t1, t3);
                let u3 = _mm256_unpackhi_epi64(t1, t3);
                let u4 = _mm256_unpacklo_epi64(t4, t6);
                let u5 = _mm256_unpackhi_epi64(t4, t6);
                let u6 = _mm256_unpacklo_epi64(t5, t7);
                let u7 = _mm256_unpackhi_epi64(t5, t7);
                [
                    _mm256_permute2x128_si256::<0x20>(u0, u4),
                    _mm256_permute2x128_si256::<0x20>(u1, u5),
                    _mm256_permute2x128_si256::<0x20>(u2, u6),
                    _mm256_permute2x128_si256::<0x20>(u3, u7),
                    _mm256_permute2x128_si256::<0x31>(u0, u4),
                    _mm256_permute2x128_si256::<0x31>(u1, u5),
                    _mm256_permute2x128_si256::<0x31>(u2, u6),
                    _mm256_permute2x128_si256::<0x31>(u3, u7),
                ]
            }

            /// Returns the 68 expanded words W of every lane's block: the first 16 read
            /// big-endian from the block, the rest zero until `expand!` fills them.
            #[target_feature(enable = $features)]
            fn message_words(blocks: &Blocks) -> [__m256i; 68] {
                // Reverses the bytes of each 32-bit word.
                let swap = _mm256_setr_epi8(
                    3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4,
                    11, 10, 9, 8, 15, 14, 13, 12,
                );
                let mut low = [_mm256_setzero_si256(); 8];
                let mut high = [_mm256_setzero_si256(); 8];
                for (lane, block) in blocks.iter().enumerate() {
                    let (first, second) = block.split_at(32);
                    let first: &[u8; 32] = first.try_into().expect("32 of 64 bytes");
                    let second: &[u8; 32] = second.try_into().expect("32 of 64 bytes");
                    low[lane] = _mm256_shuffle_epi8(load(first), swap);
                    high[lane] = _mm256_shuffle_epi8(load(second), swap);
                }
                let mut words = [_mm256_setzero_si256(); 68];
                words[..8].copy_from_slice(&transpose(low));
                words[8..16].copy_from_slice(&transpose(high));
                words
            }

            #[target_feature(enable = $features)]
            fn add(x: __m256i, y: __m256i) -> __m256i {
                _mm256_add_epi32(x, y)
            }

            #[target_feature(enable = $features)]
            fn p0(x: __m256i) -> __m256i {
                xor3(x, rotl::<9>(x), rotl::<17>(x))
            }

            #[target_feature(enable = $features)]
            fn p1(x: __m256i) -> __m256i {
                xor3(x, rotl::<15>(x), rotl::<23>(x))
            }

            /// Compresses every lane's block into its state (GB/T 32905-2016 section 5.3).
            #[target_feature(enable = $features)]
            pub(super) fn compress(state: &mut State, blocks: &Blocks) {
                let mut w = message_words(blocks);
                let initial = [
                    load_words(&state[0]),
                    load_words(&state[1]),
                    load_words(&state[2]),
                    load_words(&state[3]),
                    load_words(&state[4]),
                    load_words(&state[5]),
                    load_words(&state[6]),
                    load_words(&state[7]),
                ];
                let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = initial;

                four_rounds!(w, 0, xor3, xor3, a, b, c, d, e, f, g, h);
                four_rounds!(w, 4, xor3, xor3, a, b, c, d, e, f, g, h);
                four_rounds!(w, 8, xor3, xor3, a, b, c, d, e, f, g, h);

                expand!(w, 16);
                four_rounds!(w, 12, xor3, xor3, a, b, c, d, e, f, g, h);
                expand!(w, 20);
                four_rounds!(w, 16, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 24);
                four_rounds!(w, 20, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 28);
                four_rounds!(w, 24, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 32);
                four_rounds!(w, 28, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 36);
                four_rounds!(w, 32, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 40);
                four_rounds!(w, 36, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 44);
                four_rounds!(w, 40, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 48);
                four_rounds!(w, 44, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 52);
                four_rounds!(w, 48, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 56);
                four_rounds!(w, 52, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 60);
                four_rounds!(w, 56, majority, choose, a, b, c, d, e, f, g, h);
                expand!(w, 64);
                four_rounds!(w, 60, majority, choose, a, b, c, d, e, f, g, h);

                let result = [a, b, c, d, e, f, g, h];
                for ((words, before), after) in state.iter_mut().zip(initial).zip(result) {
                    store_words(_mm256_xor_si256(before, after), words);
                }
            }
        };
    }

    /// AVX2: rotations by two shifts, logic by two-input instructions.
    mod avx2 {
        use super::*;

        #[target_feature(enable = "avx2")]
        fn rotl<const N: i32>(x: __m256i) -> __m256i {
            let left = _mm256_sll_epi32(x, _mm_cvtsi32_si128(N));
            let right = _mm256_srl_epi32(x, _mm_cvtsi32_si128(32 - N));
            _mm256_or_si256(left, right)
        }

        #[target_feature(enable = "avx2")]
        fn xor3(x: __m256i, y: __m256i, z: __m256i) -> __m256i {
            _mm256_xor_si256(_mm256_xor_si256(x, y), z)
        }

        #[target_feature(enable = "avx2")]
        fn majority(x: __m256i, y: __m256i, z: __m256i) -> __m256i {
            // (x & y) | (z & (x | y))
            _mm256_or_si256(
                _mm256_and_si256(x, y),
                _mm256_and_si256(z, _mm256_or_si256(x, y)),
            )
        }

        #[target_feature(enable = "avx2")]
        fn choose(x: __m256i, y: __m256i, z: __m256i) -> __m256i {
            // (x & y) | (!x & z), written as ((y ^ z) & x) ^ z
            _mm256_xor_si256(_mm256_and_si256(_mm256_xor_si256(y, z), x), z)
        }

        compress_with!("avx2");
    }

    /// AVX-512VL: one instruction for a rotation, and one for any function of three inputs,
    /// whose immediate is the function's truth table.
    mod avx512 {
        use super::*;

        #[target_feature(enable = "avx2,avx512f,avx512vl")]
        fn rotl<const N: i32>(x: __m256i) -> __m256i {
            _mm256_rol_epi32::<N>(x)
        }

        #[target_feature(enable = "avx2,avx512f,avx512vl")]
        fn xor3(x: __m256i, y: __m256i, z: __m256i) -> __m256i {
            _mm256_ternarylogic_epi32::<0x96>(x, y, z)
        }

        #[target_feature(enable = "avx2,avx512f,avx512vl")]
        fn majority(x: __m256i, y: __m256i, z: __m256i) -> __m256i {
            _mm256_ternarylogic_epi32::<0xe8>(x, y, z)
        }

        #[target_feature(enable = "avx2,avx512f,avx512vl")]
        fn choose(x: __m256i, y: __m256i, z: __m256i) -> __m256i {
            _mm256_ternarylogic_epi32::<0xca>(x, y, z)
        }

        compress_with!("avx2,avx512f,avx512vl");
    }

    #[cfg(test)]
    pub(super) fn digest_avx2(messages: &[Message<'_>]) -> Option<Vec<[u8; 32]>> {
        if !is_x86_feature_detected!("avx2") {
            return None;
        }
        // SAFETY: the processor has AVX2, checked just above.
        Some(drive(messages, |state, blocks| unsafe {
            avx2::compress(state, blocks)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Returns `length` deterministic bytes, different for each seed.
    fn bytes(seed: u64, length: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..length)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    fn expected(messages: &[Message<'_>]) -> Vec<[u8; 32]> {
        messages.iter().map(|parts| digest_one(parts)).collect()
    }

    #[test]
    fn padding_matches_the_standard_example() {
        // GB/T 32905-2016 appendix A.1: "abc".
        let digest = digest_many(&[&[b"abc"], &[b"abc"]]);
        let want: [u8; 32] = [
            0x66, 0xc7, 0xf0, 0xf4, 0x62, 0xee, 0xed, 0xd9, 0xd1, 0xf2, 0xd4, 0x6b, 0xdc, 0x10,
            0xe4, 0xe2, 0x41, 0x67, 0xc4, 0x87, 0x5c, 0xf2, 0xf7, 0xa2, 0x29, 0x7d, 0xa0, 0x2b,
            0x8f, 0x4b, 0xa8, 0xe0,
        ];
        assert_eq!(digest, vec![want, want]);
    }

    #[test]
    fn lanes_match_crate_every_length() {
        // Nine messages of lengths n, n + 1, ..., so that lanes finish at different blocks and
        // one lane takes a second message.
        let data: Vec<Vec<u8>> = (0..1033).map(|n| bytes(n as u64, n)).collect();
        for start in 0..=1024 {
            let messages: Vec<[&[u8]; 1]> = (start..(start + 9).min(1033))
                .map(|n| [data[n].as_slice()])
                .collect();
            let messages: Vec<Message<'_>> = messages.iter().map(|m| m.as_slice()).collect();
            assert_eq!(
                digest_many(&messages),
                expected(&messages),
                "lengths from {start}"
            );
        }
    }

    #[test]
    fn split_parts_match_whole() {
        let data = bytes(7, 3000);
        for split in [0, 1, 31, 63, 64, 65, 1000, 2999, 3000] {
            let (first, second) = data.split_at(split);
            let parts: [&[u8]; 4] = [first, &[], second, &[]];
            let digests = digest_many(&[&parts, &[&data]]);
            assert_eq!(digests[0], digest_one(&[&data]), "split at {split}");
            assert_eq!(digests[1], digests[0]);
        }
    }

    #[test]
    fn lanes_match_crate_mixed_sizes() {
        let lengths = [
            0, 1_048_576, 17_011, 4096, 55, 56, 64, 119, 120, 65_536, 3, 200_000, 9, 10,
        ];
        let data: Vec<Vec<u8>> = lengths
            .iter()
            .enumerate()
            .map(|(seed, &length)| bytes(seed as u64 + 100, length))
            .collect();
        let messages: Vec<[&[u8]; 1]> = data.iter().map(|d| [d.as_slice()]).collect();
        let messages: Vec<Message<'_>> = messages.iter().map(|m| m.as_slice()).collect();
        assert_eq!(digest_many(&messages), expected(&messages));
        assert_eq!(digest_many(&messages[..1]), expected(&messages[..1]));
        assert!(digest_many(&[]).is_empty());
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_lanes_match_crate() {
        // `digest_many` takes AVX-512VL where the processor has it; this runs the AVX2 code.
        let data: Vec<Vec<u8>> = (0..300).map(|n| bytes(n as u64 + 5000, n * 7)).collect();
        let messages: Vec<[&[u8]; 1]> = data.iter().map(|d| [d.as_slice()]).collect();
        let messages: Vec<Message<'_>> = messages.iter().map(|m| m.as_slice()).collect();
        if let Some(digests) = x86::digest_avx2(&messages) {
            assert_eq!(digests, expected(&messages));
        }
    }

    #[test]
    fn changed_byte_changes_one_digest() {
        let data = bytes(1, 5000);
        let mut changed = data.clone();
        changed[4321] ^= 1;
        let digests = digest_many(&[&[&data], &[&changed], &[&data]]);
        assert_ne!(digests[0], digests[1]);
        assert_eq!(digests[0], digests[2]);
        assert_eq!(digests[1], digest_one(&[&changed]));
    }
}
