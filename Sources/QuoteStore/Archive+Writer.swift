import QuoteCore

// The writer side of the archive. Everything here runs on `writerQueue`, the only place
// that mutates `state`, so reading `state` here needs no lock; mutating it takes the
// write lock so readers never see half an update.
extension Archive {
    /// What one queued request will answer once the batch is durable.
    private enum Planned {
        case add([AddResult], @Sendable ([AddResult]) -> Void)
        case delete(Result<QuoteID, ArchiveError>, @Sendable (Result<QuoteID, ArchiveError>) -> Void)
        case apply(Result<Int, ArchiveError>, @Sendable (Result<Int, ArchiveError>) -> Void)
        case barrier(@Sendable () -> Void)
    }

    func drain() {
        let requests = takePendingRequests()
        guard !requests.isEmpty else { return }
        if isClosed {
            for request in requests { fail(request, .closed) }
            return
        }

        var writer = ByteWriter(capacity: 4096)
        var ops: [(op: SequencedOp, offset: Int, prepared: PreparedPut?)] = []
        // What this batch made each id's winner, before the state holds it. Only the
        // verdict's fields: keeping whole ops retained every quote's strings once more.
        var overlay: [QuoteID: OpVersion] = [:]
        var sequence = currentState.lastSequence
        let baseOffset = logSize

        func winner(_ id: QuoteID) -> OpVersion? {
            overlay[id] ?? currentState.winningVersion(of: id)
        }
        func append(_ op: Op, _ prepared: PreparedPut?) {
            sequence += 1
            let sequenced = SequencedOp(sequence: sequence, op: op)
            ops.append((sequenced, baseOffset + writer.count, prepared))
            LogFormat.appendRecord(sequenced, encodedQuote: prepared?.encoded, to: &writer)
            overlay[op.id] = op.version
        }

        var planned: [Planned] = []
        for request in requests {
            switch request {
            case let .add(prepared, completion):
                let results = prepared.map { item -> AddResult in
                    switch item {
                    case let .failure(error):
                        return .rejected(error.code, error.description)
                    case let .success(put):
                        if let current = winner(put.id), current.kind == .put { return .stored(put.id, new: false) }
                        append(.put(put.quote, id: put.id, timestamp: clock.now(), origin: nodeID), put)
                        return .stored(put.id, new: true)
                    }
                }
                planned.append(.add(results, completion))
            case let .delete(idOrPrefix, completion):
                let result: Result<QuoteID, ArchiveError>
                do throws(ArchiveError) {
                    let id = try resolveForDelete(idOrPrefix, overlay: overlay)
                    append(.delete(id, timestamp: clock.now(), origin: nodeID), nil)
                    result = .success(id)
                } catch {
                    result = .failure(error)
                }
                planned.append(.delete(result, completion))
            case let .apply(incoming, prepared, completion):
                var appended = 0
                // A page of a peer's ops looks up ids all over the table: start loading the
                // slots a few ops ahead.
                for op in incoming.prefix(Archive.slotLookahead) { currentState.ordinals.prefetch(op.id) }
                for (index, (op, put)) in zip(incoming, prepared).enumerated() {
                    if index + Archive.slotLookahead < incoming.count {
                        currentState.ordinals.prefetch(incoming[index + Archive.slotLookahead].id)
                    }
                    clock.observe(op.timestamp)
                    if let current = winner(op.id), op.version <= current { continue }
                    append(op, put)
                    appended += 1
                }
                planned.append(.apply(.success(appended), completion))
            case let .barrier(completion):
                planned.append(.barrier(completion))
            }
        }

        if !ops.isEmpty {
            do {
                try persist(writer.bytes, baseOffset: baseOffset)
            } catch {
                let failure = ArchiveError.storage(String(describing: error))
                let unstored = Set(ops.map(\.op.op.id))
                for item in planned { failPlanned(item, failure, unstored: unstored) }
                return
            }
            commit(ops)
        }
        for item in planned { complete(item) }
        if !ops.isEmpty { notifyObservers(sequence) }
    }

    /// How many ops ahead of the one being applied its id's slot is prefetched.
    private static let slotLookahead = 8

    private func resolveForDelete(_ text: String, overlay: [QuoteID: OpVersion]) throws(ArchiveError) -> QuoteID {
        do throws(ArchiveError) {
            let ordinal = try currentState.resolve(text)
            let id = currentState.entries[Int(ordinal)].id
            if let pending = overlay[id], pending.kind == .delete { throw ArchiveError.notFound(text) }
            return id
        } catch .notFound {
            // A quote added earlier in this same batch is not in the state yet.
            let prefix = QuoteIDPrefix(hex: text.trimmingNewlines())
            let matches = overlay.filter { $0.value.kind == .put && prefix?.matches($0.key) == true }
            guard matches.count == 1, let match = matches.first else { throw .notFound(text) }
            return match.key
        }
    }

    private func complete(_ item: Planned) {
        switch item {
        case let .add(results, completion): completion(results)
        case let .delete(result, completion): completion(result)
        case let .apply(result, completion): completion(result)
        case let .barrier(completion): completion()
        }
    }

    /// Answers a request whose batch was not persisted. `unstored` holds the ids of the
    /// batch's ops: an `alreadyPresent` that leaned on one of them (the same quote twice in
    /// one batch) is not stored either.
    private func failPlanned(_ item: Planned, _ error: ArchiveError, unstored: Set<QuoteID>) {
        switch item {
        case let .add(results, completion):
            completion(results.map { result in
                result.status == .added || (result.status == .alreadyPresent && unstored.contains(result.id))
                    ? .rejected(error.code, error.description) : result
            })
        case let .delete(result, completion):
            if case .success = result { completion(.failure(error)) } else { completion(result) }
        case let .apply(_, completion): completion(.failure(error))
        case let .barrier(completion): completion()
        }
    }

    private func fail(_ request: WriteRequest, _ error: ArchiveError) {
        switch request {
        case let .add(prepared, completion): completion(prepared.map { _ in .rejected(error.code, error.description) })
        case let .delete(_, completion): completion(.failure(error))
        case let .apply(_, _, completion): completion(.failure(error))
        case let .barrier(completion): completion()
        }
    }
}
