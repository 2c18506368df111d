// C shims for things Swift cannot reach on its own.
#ifndef CQUOTESUPPORT_H
#define CQUOTESUPPORT_H

#include <stddef.h>
#include <stdint.h>

// MARK: CRC32C (Castagnoli) in hardware

/// Whether this CPU has the SSE4.2 `crc32` instruction; always 0 off x86-64.
int cqs_crc32c_hardware_available(void);

/// Folds `count` bytes into the raw CRC32C register `crc` with the SSE4.2 instruction.
///
/// The caller owns the conventional pre- and post-inversion (`~0` in, `~crc` out), so
/// a checksum can be computed in pieces. Only call it when
/// `cqs_crc32c_hardware_available()` is nonzero; off x86-64 it returns `crc` unchanged.
uint32_t cqs_crc32c_update(uint32_t crc, const void *bytes, size_t count);

// MARK: SHA-256 compression in hardware

/// Whether this CPU has the SHA extensions with SSSE3 and SSE4.1; always 0 off x86-64.
int cqs_sha256_hardware_available(void);

/// Folds `block_count` 64-byte blocks into the SHA-256 working state with the SHA extensions.
///
/// `state` is H0 through H7 as native-endian words; the blocks need no alignment. This is
/// the compression function only: the caller pads the message and serialises the digest.
/// Only call it when `cqs_sha256_hardware_available()` is nonzero; off x86-64 it leaves
/// `state` unchanged.
void cqs_sha256_compress(uint32_t state[8], const void *blocks, size_t block_count);

// MARK: Prefetching

/// Asks the CPU to start loading the cache line at `address`; no fault, no wait. A search
/// walks a list of ordinals whose entries and quote bytes are scattered over the archive:
/// issuing the loads for a page ahead lets their cache misses overlap.
static inline void cqs_prefetch(const void *address) {
    __builtin_prefetch(address);
}

// MARK: Thread priority

/// Lowers the calling thread's scheduling priority by `increment` nice steps (Linux applies
/// a nice value per thread); 0 on success, -1 where it cannot. The query pool's threads
/// call it so the event loops' short answers come first on a busy machine.
int cqs_nice_this_thread(int increment);

// MARK: Linux event APIs

// Glibc's Swift module map leaves these out, and the event loop needs them; the store
// hands freed heap pages back with malloc_trim after opening a log.
#if defined(__linux__)
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif

#endif
