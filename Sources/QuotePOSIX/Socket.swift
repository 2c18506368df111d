#if canImport(Glibc)
import Glibc
#endif


/// Socket system calls: listen, accept, connect, non-blocking reads and writes.
///
/// Every call goes through `SystemCall`, so `EINTR` is retried and `EAGAIN` is a `nil`.
public enum Socket {
    /// Creates a non-blocking listening socket bound to `address`; returns it and the bound address.
    public static func listen(on address: SocketAddress, backlog: Int32 = 1024) throws -> (descriptor: Int32, bound: SocketAddress) {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = try SystemCall.require("socket", address.description) {
            socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            var yes: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            if address.isIPv6 { setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &yes, socklen_t(MemoryLayout<Int32>.size)) }
            _ = try address.withSockaddr { pointer, length in
                try SystemCall.require("bind", address.description) { bind(descriptor, pointer, length) }
            }
            try SystemCall.require("listen", address.description) { Glibc.listen(descriptor, backlog) }
            return (descriptor, try localAddress(descriptor))
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
    }

    /// The address a socket is bound to.
    public static func localAddress(_ descriptor: Int32) throws -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                try SystemCall.require("getsockname", "fd \(descriptor)") { getsockname(descriptor, address, &length) }
            }
        }
        return SocketAddress.from(storage)
    }

    /// Accepts one pending connection, non-blocking; nil when none is pending.
    public static func accept(_ listener: Int32) throws -> (descriptor: Int32, peer: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let descriptor = try withUnsafeMutablePointer(to: &storage) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                try SystemCall.run("accept", "listener \(listener)") {
                    Glibc.accept(listener, address, &length)
                }
            }
        }
        guard let descriptor else { return nil }
        // Glibc's module lacks accept4, so the flags are set in two more calls.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        var yes: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        return (descriptor, SocketAddress.from(storage))
    }

    /// Connects a blocking socket to `address`, giving up after `timeoutSeconds`.
    public static func connect(to address: SocketAddress, timeoutSeconds: Double) throws -> Int32 {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = try SystemCall.require("socket", address.description) {
            socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            let started = try address.withSockaddr { pointer, length in Glibc.connect(descriptor, pointer, length) }
            if started != 0 {
                guard errno == EINPROGRESS else { throw SystemError(call: "connect", target: address.description, errno: errno) }
                let ready = try poll(descriptor, for: Int16(POLLOUT), timeoutMilliseconds: Int32(timeoutSeconds * 1000))
                guard ready != 0 else { throw SystemError(call: "connect", target: address.description, errno: ETIMEDOUT) }
                var failure: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                try SystemCall.require("getsockopt", address.description) { getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length) }
                guard failure == 0 else { throw SystemError(call: "connect", target: address.description, errno: failure) }
            }
            // Back to blocking: the client waits with poll() and per-call timeouts.
            let flags = try SystemCall.require("fcntl", address.description) { fcntl(descriptor, F_GETFL) }
            try SystemCall.require("fcntl", address.description) { fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
            var yes: Int32 = 1
            try SystemCall.require("setsockopt", address.description) {
                setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            }
            return descriptor
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
    }

    /// Reads what is available; 0 at end of stream, nil when it would block.
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int? {
        try SystemCall.run("read", "fd \(descriptor)") { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
    }

    /// Writes what the socket takes now, without waiting even on a blocking socket; nil
    /// when it would block. A peer that has gone is an error (`EPIPE`), never a SIGPIPE.
    public static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int? {
        try SystemCall.run("send", "fd \(descriptor)") {
            send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
    }

    /// Waits up to `timeoutMilliseconds` for any of `events` (`POLLIN`, `POLLOUT`) on
    /// `descriptor`; returns the events that happened (errors and hang-ups included), 0 on
    /// timeout. An interrupted wait starts again: callers loop on their own deadline.
    public static func poll(_ descriptor: Int32, for events: Int16, timeoutMilliseconds: Int32) throws(SystemError) -> Int16 {
        var poller = pollfd(fd: descriptor, events: events, revents: 0)
        let ready = try SystemCall.require("poll", "fd \(descriptor)") { Glibc.poll(&poller, 1, max(0, timeoutMilliseconds)) }
        return ready == 0 ? 0 : poller.revents
    }
}
