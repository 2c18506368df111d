// The SHA-256 compression function on the x86 SHA extensions; the portable reference lives in Swift.
//
// The instructions do not hold the eight working variables in FIPS 180-4 order.
// `sha256rnds2` keeps them in two registers, one holding A, B, E, F and the other
// C, D, G, H, each with A (or C) in the highest 32-bit lane. It runs two rounds,
// taking the two message-plus-constant words from the low lanes of its third
// operand, and returns the new A, B, E, F; the old A, B, E, F become the new
// C, D, G, H. `sha256msg1` and `sha256msg2` split the message schedule between
// them: msg1 adds sigma0 of the next word to each of four words, msg2 adds sigma1
// of the word two back, which for the upper two lanes is one msg2 itself produces.
#include "CQuoteSupport.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

// Bits from the Intel SDM's cpuid tables; spelled out because <cpuid.h> names
// them differently in GCC and Clang.
enum {
    cpuid_leaf1_ecx_ssse3 = 1u << 9,
    cpuid_leaf1_ecx_sse4_1 = 1u << 19,
    cpuid_leaf7_ebx_sha = 1u << 29,
};

int cqs_sha256_hardware_available(void) {
    unsigned int eax, ebx, ecx, edx;
    // __get_cpuid and __get_cpuid_count return 0 when the CPU lacks the leaf.
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    // The SHA rounds need pshufb and palignr (SSSE3) and pblendw (SSE4.1) around them
    // to reorder bytes and lanes; cpuid reports each extension on its own, so check
    // them rather than assume that SHA implies them.
    const unsigned int needed_leaf1_ecx = cpuid_leaf1_ecx_ssse3 | cpuid_leaf1_ecx_sse4_1;
    if ((ecx & needed_leaf1_ecx) != needed_leaf1_ecx) {
        return 0;
    }
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    return (ebx & cpuid_leaf7_ebx_sha) ? 1 : 0;
}

// The FIPS 180-4 round constants K0 through K63; the same table as SHA256.swift's.
// Aligned so that each group of four loads as one vector.
static const uint32_t round_constants[64] __attribute__((aligned(16))) = {
    0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4, 0xAB1C5ED5,
    0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE, 0x9BDC06A7, 0xC19BF174,
    0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F, 0x4A7484AA, 0x5CB0A9DC, 0x76F988DA,
    0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7, 0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967,
    0x27B70A85, 0x2E1B2138, 0x4D2C6DFC, 0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85,
    0xA2BFE8A1, 0xA81A664B, 0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070,
    0x19A4C116, 0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
    0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7, 0xC67178F2,
};

// Every function below runs SHA, SSE4.1 or SSSE3 instructions (SSE4.1 implies SSSE3
// to the compiler), so each carries the target attribute: the rest of the target
// builds for baseline x86-64, and callers check cqs_sha256_hardware_available()
// before reaching this code.
#define SHA_TARGET __attribute__((target("sha,sse4.1")))

// Loads four message words; the message is big-endian, so each word's bytes are reversed.
SHA_TARGET
static inline __m128i load_message_words(const unsigned char *bytes) {
    const __m128i reverse_bytes_in_each_word = _mm_set_epi8(
        12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)bytes), reverse_bytes_in_each_word);
}

// Message words W[t..t+3] from the sixteen before them, oldest group first.
SHA_TARGET
static inline __m128i next_message_words(__m128i oldest, __m128i older, __m128i newer, __m128i newest) {
    // W[t-7..t-4] straddles the two newest groups: lanes 1-3 of one, lane 0 of the other.
    const __m128i seven_back = _mm_alignr_epi8(newest, newer, 4);
    const __m128i without_sigma1 = _mm_add_epi32(_mm_sha256msg1_epu32(oldest, older), seven_back);
    return _mm_sha256msg2_epu32(without_sigma1, newest);
}

// Runs rounds 4*group through 4*group+3 with the message words `words`.
SHA_TARGET
static inline void four_rounds(__m128i *abef, __m128i *cdgh, __m128i words, int group) {
    const __m128i constants = _mm_load_si128((const __m128i *)&round_constants[4 * group]);
    const __m128i words_plus_constants = _mm_add_epi32(words, constants);
    // Each rnds2 returns A, B, E, F and demotes its input A, B, E, F to C, D, G, H,
    // so alternating which register receives the result needs no moves between calls.
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, words_plus_constants);
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(words_plus_constants, 0x0E));
}

// Folds one 64-byte block into the state held as A, B, E, F and C, D, G, H.
SHA_TARGET
static inline void compress_block(__m128i *abef, __m128i *cdgh, const unsigned char *block) {
    const __m128i abef_before = *abef;
    const __m128i cdgh_before = *cdgh;
    __m128i w0 = load_message_words(block);
    __m128i w1 = load_message_words(block + 16);
    __m128i w2 = load_message_words(block + 32);
    __m128i w3 = load_message_words(block + 48);
    four_rounds(abef, cdgh, w0, 0);
    four_rounds(abef, cdgh, w1, 1);
    four_rounds(abef, cdgh, w2, 2);
    four_rounds(abef, cdgh, w3, 3);
    // Twelve more groups, each from the four groups before it, so four registers
    // rotate through the schedule.
    for (int group = 4; group < 16; group += 4) {
        w0 = next_message_words(w0, w1, w2, w3);
        four_rounds(abef, cdgh, w0, group);
        w1 = next_message_words(w1, w2, w3, w0);
        four_rounds(abef, cdgh, w1, group + 1);
        w2 = next_message_words(w2, w3, w0, w1);
        four_rounds(abef, cdgh, w2, group + 2);
        w3 = next_message_words(w3, w0, w1, w2);
        four_rounds(abef, cdgh, w3, group + 3);
    }
    *abef = _mm_add_epi32(*abef, abef_before);
    *cdgh = _mm_add_epi32(*cdgh, cdgh_before);
}

SHA_TARGET
void cqs_sha256_compress(uint32_t state[8], const void *blocks, size_t block_count) {
    // In memory the state is H0..H7, that is A..H with A in the lowest lane.
    const __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
    const __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
    const __m128i badc = _mm_shuffle_epi32(abcd, 0xB1);
    const __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
    // Lanes low to high: F, E, B, A and H, G, D, C.
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);

    const unsigned char *block = blocks;
    for (size_t index = 0; index < block_count; index++) {
        compress_block(&abef, &cdgh, block);
        block += 64;
    }

    // The same moves backwards: lanes low to high A, B, E, F and G, H, C, D first.
    const __m128i abef_in_order = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(abef_in_order, ghcd, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(ghcd, abef_in_order, 8));
}

#else

int cqs_sha256_hardware_available(void) {
    return 0;
}

void cqs_sha256_compress(uint32_t state[8], const void *blocks, size_t block_count) {
    (void)state;
    (void)blocks;
    (void)block_count;
}

#endif
