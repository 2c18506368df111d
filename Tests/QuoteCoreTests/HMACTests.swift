import QuoteCore
import Testing

/// RFC 4231 test cases 1 to 7.
@Suite struct HMACTests {
    private func hexCode(key: [UInt8], message: String) -> String {
        Hex.encode(HMACSHA256.authenticationCode(key: key, message: Array(message.utf8)))
    }

    @Test func case1() {
        #expect(hexCode(key: [UInt8](repeating: 0x0B, count: 20), message: "Hi There")
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func case2KeyShorterThanOutput() {
        #expect(hexCode(key: Array("Jefe".utf8), message: "what do ya want for nothing?")
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func case3() {
        let code = HMACSHA256.authenticationCode(
            key: [UInt8](repeating: 0xAA, count: 20), message: [UInt8](repeating: 0xDD, count: 50))
        #expect(Hex.encode(code) == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    @Test func case4() {
        let code = HMACSHA256.authenticationCode(
            key: (1...25).map { UInt8($0) }, message: [UInt8](repeating: 0xCD, count: 50))
        #expect(Hex.encode(code) == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    @Test func case5TruncatedTo128Bits() {
        let code = HMACSHA256.authenticationCode(
            key: [UInt8](repeating: 0x0C, count: 20), message: Array("Test With Truncation".utf8))
        #expect(Hex.encode(code.prefix(16)) == "a3b6167473100ee06e0c796c2955552b")
    }

    @Test func case6KeyLargerThanBlock() {
        #expect(hexCode(key: [UInt8](repeating: 0xAA, count: 131),
                        message: "Test Using Larger Than Block-Size Key - Hash Key First")
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func case7KeyAndDataLargerThanBlock() {
        let message = "This is a test using a larger than block-size key and a larger than block-size data."
            + " The key needs to be hashed before being used by the HMAC algorithm."
        #expect(hexCode(key: [UInt8](repeating: 0xAA, count: 131), message: message)
            == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    @Test func constantTimeEquals() {
        #expect(HMACSHA256.constantTimeEquals([], []))
        #expect(HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!HMACSHA256.constantTimeEquals([0x80, 2, 3], [0, 2, 3]))
        #expect(!HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2]))
    }
}
