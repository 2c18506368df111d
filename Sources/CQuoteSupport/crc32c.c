// CRC32C with the SSE4.2 `crc32` instruction; the portable fallback lives in Swift.
#include "CQuoteSupport.h"

#if defined(__x86_64__)

#include <nmmintrin.h>
#include <string.h>

int cqs_crc32c_hardware_available(void) {
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

// The target attribute lets the rest of the target build for baseline x86-64;
// callers check cqs_crc32c_hardware_available() before reaching this code.
__attribute__((target("sse4.2")))
uint32_t cqs_crc32c_update(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *cursor = bytes;
    uint64_t wide = crc;
    while (count >= 8) {
        uint64_t word;
        // memcpy is the defined way to load an unaligned word; it compiles to one mov.
        memcpy(&word, cursor, sizeof word);
        wide = _mm_crc32_u64(wide, word);
        cursor += 8;
        count -= 8;
    }
    uint32_t narrow = (uint32_t)wide;
    while (count > 0) {
        narrow = _mm_crc32_u8(narrow, *cursor);
        cursor += 1;
        count -= 1;
    }
    return narrow;
}

#else

int cqs_crc32c_hardware_available(void) {
    return 0;
}

uint32_t cqs_crc32c_update(uint32_t crc, const void *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return crc;
}

#endif
