/// The archive's in-memory state and the lock that guards it, shared by the `Archive`
/// facade (whose reads take the lock to read) and its `ArchiveWriter` (the only code
/// that mutates it, taking the lock to write so readers never see half an update; the
/// one exception is the digest cache, which the first reader to ask fills in under the
/// write lock, and which the writer keeps when it swaps in rebuilt indexes).
final class GuardedArchiveState: @unchecked Sendable {
    // @unchecked: `pointer` is read under `lock` (or unlocked by the writer alone, see
    // `writerView`) and written only while holding `lock` for writing.
    let lock = ReadWriteLock()
    // The state lives behind a pointer with addressors so readers borrow it in place: a
    // stored property of a class was copied (every array retained and released) per access.
    let pointer: UnsafeMutablePointer<ArchiveState>

    init(_ state: ArchiveState) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: state)
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// The state itself; read it only inside `lock.withReadLock`, change it only on the
    /// writer's queue inside `lock.withWriteLock`.
    var state: ArchiveState {
        unsafeAddress { UnsafePointer(pointer) }
        unsafeMutableAddress { pointer }
    }

    /// The state as the writer sees it: safe unlocked on the writer's queue, because
    /// nothing else mutates it.
    var writerView: ArchiveState {
        unsafeAddress { UnsafePointer(pointer) }
    }
}
