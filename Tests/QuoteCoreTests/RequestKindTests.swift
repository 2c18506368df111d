import Foundation
import QuoteCore
import Testing

/// Protocol/README.md's "Adding a request" checklist, checked where a test can: each request
/// this version defines has its row and section in PROTOCOL.md, golden vectors for it and
/// its response, and its opcode in the Python codec. (The Swift switches over
/// `RequestKind` and `Request` are exhaustive, so the compiler checks the rest.)
@Suite struct RequestKindTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func hex(_ value: UInt8) -> String { "0x" + Hex.encode([value]).uppercased() }

    @Test(arguments: RequestKind.allCases)
    func theSpecificationHasARowAndASectionForEachRequest(_ kind: RequestKind) throws {
        let spec = try RequestKindTests.text("Protocol/PROTOCOL.md")
        let (code, response) = (RequestKindTests.hex(kind.rawValue), RequestKindTests.hex(kind.opcode.response.rawValue))
        let row = spec.split(separator: "\n").first { $0.hasPrefix("| `\(kind.name)`") }
        let cells = try #require(row, "no opcode table row for \(kind.name)")
            .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(cells == ["`\(kind.name)`", "`\(code)`", "`\(kind.name)_OK`", "`\(response)`"])
        #expect(spec.contains("### \(kind.name) (\(code)) → \(kind.name)_OK (\(response))"))
    }

    @Test(arguments: RequestKind.allCases)
    func eachRequestAndItsResponseHaveAGoldenVector(_ kind: RequestKind) {
        let opcodes = GoldenVectorCatalog.all.compactMap { vector -> Opcode? in
            switch vector.content {
            case let .request(request, _): return request.opcode
            case let .response(response, _): return response.opcode
            default: return nil
            }
        }
        #expect(opcodes.contains(kind.opcode))
        #expect(opcodes.contains(kind.opcode.response))
    }

    @Test(arguments: RequestKind.allCases)
    func thePythonCodecNamesEachRequestsOpcode(_ kind: RequestKind) throws {
        let codec = try RequestKindTests.text("Clients/python/quotearchive/codec.py")
        #expect(codec.contains("\n\(kind.name) = \(RequestKindTests.hex(kind.rawValue))\n"))
        #expect(codec.contains("\n\(kind.name)_OK = \(kind.name) | RESPONSE_BIT\n"))
    }

    @Test func everyRequestOpcodeIsAKindAndNothingElseIs() {
        for raw in UInt8.min...UInt8.max {
            let opcode = Opcode(rawValue: raw)
            #expect((RequestKind(opcode) != nil) == Opcode.requests.contains(opcode))
            if let kind = RequestKind(opcode) { #expect(kind.opcode == opcode && "\(opcode)" == kind.name) }
        }
        #expect(Opcode.requests.allSatisfy { !$0.isResponse })
    }
}
