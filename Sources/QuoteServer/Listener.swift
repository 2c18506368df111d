#if canImport(Glibc)
import Glibc
#endif
import CQuoteSupport
import QuotePOSIX

/// A listening socket watched by one event loop; each loop has its own registration of
/// the same socket (EPOLLEXCLUSIVE), so a connection lives on the loop that accepted it.
final class Listener: EventHandler, @unchecked Sendable {
    // @unchecked: touched only on `loop`'s thread.
    let descriptor: Int32
    let loop: EventLoop
    unowned let server: Server
    let onAccept: (Int32, SocketAddress) -> Void

    init(descriptor: Int32, loop: EventLoop, server: Server, onAccept: @escaping (Int32, SocketAddress) -> Void) {
        self.descriptor = descriptor
        self.loop = loop
        self.server = server
        self.onAccept = onAccept
    }

    func handle(events: UInt32) {
        // A bounded batch per wake-up keeps accept storms from starving connections.
        for _ in 0..<64 {
            do {
                guard let (client, peer) = try Socket.accept(descriptor) else { return }
                onAccept(client, peer)
            } catch let error as SystemError where error.errno == EMFILE || error.errno == ENFILE {
                server.logger.log(.error, "accept.failed", ["error": error.description])
                return
            } catch {
                server.logger.log(.warning, "accept.failed", ["error": String(describing: error)])
                return
            }
        }
    }

    func tick(now: Double) {}

    func flushDeferred() {}
}
