import QuoteCore
#if canImport(Glibc)
import Glibc
#endif

/// The word index of one range of ordinals while a log is opened, in raw memory.
///
/// Opening a million quotes posts some forty million words, so each posting is made as
/// cheap as it can be: a word's key, hash and growing list sit together in one 64-byte
/// record, words of up to 16 bytes compare as two masked 8-byte loads, and nothing goes
/// through a Swift array's uniqueness check. `WordIndexPieces.joined()` turns the pieces
/// into the archive's `ByteKeyTable` and `PostingList`s.
final class WordIndexPiece {
    /// One distinct word: its first 16 bytes (zero past its length), its hash and length,
    /// its `ByteKeyTable.hash` (for `WordPairIndex`), where its bytes are in `keys`, and its
    /// posting list, encoded as `PostingList` does.
    struct Word {
        var prefix: (UInt64, UInt64)
        var hash: UInt64
        var pairHash: UInt64
        var length: UInt32
        var keyStart: UInt32
        var list: UnsafeMutablePointer<UInt8>?
        var listBytes: UInt32 = 0
        var listCapacity: UInt32 = 0
        var last: UInt32 = 0
        var postings: UInt32 = 0
    }

    private var slots: UnsafeMutablePointer<UInt32>  // word number + 1; 0 means empty
    private var slotMask: Int
    private(set) var words: UnsafeMutablePointer<Word>
    private(set) var count = 0
    private var wordCapacity: Int
    private var keys: UnsafeMutablePointer<UInt8>
    private var keyBytes = 0
    private var keyCapacity: Int

    init() {
        slotMask = (1 << 14) - 1
        slots = .allocate(capacity: slotMask + 1)
        slots.initialize(repeating: 0, count: slotMask + 1)
        wordCapacity = 1 << 12
        words = .allocate(capacity: wordCapacity)
        keyCapacity = 1 << 16
        keys = .allocate(capacity: keyCapacity)
    }

    deinit {
        for number in 0..<count { free(words[number].list) }
        words.deinitialize(count: count)
        words.deallocate()
        slots.deallocate()
        keys.deallocate()
    }

    /// The bytes of word `number`.
    func key(_ number: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: keys + Int(words[number].keyStart), count: Int(words[number].length))
    }

    /// The encoded posting list of word `number`.
    func list(_ number: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: words[number].list, count: Int(words[number].listBytes))
    }

    /// Indexes the words of the quotes at `locations`, posted under `ordinals`, which
    /// ascend and are above every ordinal this piece holds, and sets each one's word pair
    /// bits in `pairSignatures`.
    func add(_ ordinals: ArraySlice<UInt32>, _ locations: ArraySlice<QuoteArena.Location>,
             arena: QuoteArena, folder: TextFolder, pairSignatures: UnsafeMutableBufferPointer<UInt64>) {
        for (ordinal, location) in zip(ordinals, locations) {
            let bytes = arena.bytes(at: location)
            var pairs = WordPairIndex.Builder()
            folder.forEachPaddedWord(in: UnsafeRawBufferPointer(rebasing: bytes[QuoteFields.text(in: bytes)])) { start, length in
                pairs.add(post(ordinal, start, length))
            }
            pairSignatures[Int(ordinal)] = pairs.signature
        }
    }

    @inline(__always)
    private static func mask(_ length: Int) -> UInt64 {
        length >= 8 ? .max : (1 << UInt64(length * 8)) &- 1
    }

    /// Posts `ordinal` under the word at `start`, at least 16 bytes of which are readable;
    /// returns the word's `ByteKeyTable.hash`.
    @inline(__always)
    private func post(_ ordinal: UInt32, _ start: UnsafeRawPointer, _ length: Int) -> UInt64 {
        let first = start.loadUnaligned(as: UInt64.self) & WordIndexPiece.mask(length)
        let second = length > 8 ? start.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & WordIndexPiece.mask(length - 8) : 0
        var hash = (first ^ UInt64(length) &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ second ^ (hash >> 31)) &* 0x94D0_49BB_1331_11EB
        if length > 16 {
            hash ^= ByteKeyTable.hash(UnsafeRawBufferPointer(start: start + 16, count: length - 16))
        }
        hash ^= hash >> 29
        var slot = Int(truncatingIfNeeded: hash >> 32) & slotMask
        while true {
            let stored = slots[slot]
            if stored == 0 { break }
            let word = words + Int(stored - 1)
            if word.pointee.hash == hash && word.pointee.length == UInt32(length) && word.pointee.prefix == (first, second)
                && (length <= 16 || memcmp(keys + Int(word.pointee.keyStart) + 16, start + 16, length - 16) == 0) {
                WordIndexPiece.append(ordinal, to: word)
                return word.pointee.pairHash
            }
            slot = (slot + 1) & slotMask
        }
        let number = insert(start, length, prefix: (first, second), hash: hash)
        slots[slot] = UInt32(number + 1)
        if (count * 2) > slotMask { growSlots() }
        WordIndexPiece.append(ordinal, to: words + number)
        return words[number].pairHash
    }

    /// Appends `ordinal` to a word's list as a LEB128 delta; one already last is ignored
    /// (a word repeated in one quote).
    @inline(__always)
    private static func append(_ ordinal: UInt32, to word: UnsafeMutablePointer<Word>) {
        if word.pointee.postings > 0 && ordinal == word.pointee.last { return }
        if word.pointee.listBytes + 5 > word.pointee.listCapacity {
            let capacity = max(16, word.pointee.listCapacity * 2)
            word.pointee.list = realloc(word.pointee.list, Int(capacity))!.assumingMemoryBound(to: UInt8.self)
            word.pointee.listCapacity = capacity
        }
        var delta = word.pointee.postings == 0 ? ordinal : ordinal - word.pointee.last
        let list = word.pointee.list!
        var end = Int(word.pointee.listBytes)
        while delta >= 0x80 {
            list[end] = UInt8(truncatingIfNeeded: delta) | 0x80
            delta >>= 7
            end += 1
        }
        list[end] = UInt8(delta)
        word.pointee.listBytes = UInt32(end + 1)
        word.pointee.last = ordinal
        word.pointee.postings += 1
    }

    private func insert(_ start: UnsafeRawPointer, _ length: Int, prefix: (UInt64, UInt64), hash: UInt64) -> Int {
        if count == wordCapacity {
            let bigger = UnsafeMutablePointer<Word>.allocate(capacity: wordCapacity * 2)
            bigger.moveInitialize(from: words, count: count)
            words.deallocate()
            words = bigger
            wordCapacity *= 2
        }
        if keyBytes + length > keyCapacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(keyCapacity * 2, keyBytes + length))
            bigger.moveInitialize(from: keys, count: keyBytes)
            keys.deallocate()
            keys = bigger
            keyCapacity = max(keyCapacity * 2, keyBytes + length)
        }
        (keys + keyBytes).initialize(from: start.assumingMemoryBound(to: UInt8.self), count: length)
        let pairHash = ByteKeyTable.hash(UnsafeRawBufferPointer(start: start, count: length))
        (words + count).initialize(to: Word(prefix: prefix, hash: hash, pairHash: pairHash, length: UInt32(length),
                                            keyStart: UInt32(keyBytes), list: nil))
        keyBytes += length
        count += 1
        return count - 1
    }

    private func growSlots() {
        let size = (slotMask + 1) * 2
        let bigger = UnsafeMutablePointer<UInt32>.allocate(capacity: size)
        bigger.initialize(repeating: 0, count: size)
        for number in 0..<count {
            var slot = Int(truncatingIfNeeded: words[number].hash >> 32) & (size - 1)
            while bigger[slot] != 0 { slot = (slot + 1) & (size - 1) }
            bigger[slot] = UInt32(number + 1)
        }
        slots.deallocate()
        slots = bigger
        slotMask = size - 1
    }
}
