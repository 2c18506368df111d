import QuoteCore
import Testing

@Suite struct QuoteIDTests {
    static let id = QuoteID(hex: "2ba8a9db8071135ad2ccb91d78777e52")!

    @Test func hexRoundTripsAsLowercase() {
        #expect(QuoteID(hex: "2BA8A9DB8071135AD2CCB91D78777E52") == QuoteIDTests.id)
        #expect(QuoteIDTests.id.description == "2ba8a9db8071135ad2ccb91d78777e52")
        #expect(QuoteIDTests.id.short() == "2ba8a9db")
    }

    @Test(arguments: ["", "2ba8a9db8071135ad2ccb91d78777e5", "2ba8a9db8071135ad2ccb91d78777e522", "2ba8a9db8071135ad2ccb91d78777e5g"])
    func malformedHexIsNotAnID(_ hex: String) {
        #expect(QuoteID(hex: hex) == nil)
    }

    @Test func bytesAreTheHexDigitsInOrder() {
        #expect(QuoteIDTests.id.bytes == Hex.decode("2ba8a9db8071135ad2ccb91d78777e52"))
        #expect(QuoteID(bytes: QuoteIDTests.id.bytes) == QuoteIDTests.id)
    }

    @Test func idsCompareAsTheirBytes() {
        let ids = ["ff", "00", "7f", "80"].map { QuoteID(hex: $0 + String(repeating: "0", count: 30))! }
        #expect(ids.sorted().map { $0.short(2) } == ["00", "7f", "80", "ff"])
        let low = QuoteID(hex: "00000000000000000000000000000001")!
        let high = QuoteID(hex: "00000000000000010000000000000000")!
        #expect(low < high)
    }

    @Test(arguments: [6, 8, 15, 16, 17, 31, 32])
    func prefixOfAnyLengthMatchesItsID(_ length: Int) throws {
        let text = String(QuoteIDTests.id.description.prefix(length))
        let prefix = try #require(QuoteIDPrefix(hex: text))
        #expect(prefix.matches(QuoteIDTests.id))
        #expect(prefix.description == text)
        #expect(prefix.lowerBound <= QuoteIDTests.id)
    }

    @Test(arguments: [6, 15, 16, 17, 32])
    func prefixDifferingInItsLastDigitDoesNotMatch(_ length: Int) throws {
        var digits = Array(QuoteIDTests.id.description.prefix(length))
        digits[length - 1] = digits[length - 1] == "0" ? "1" : "0"
        let prefix = try #require(QuoteIDPrefix(hex: String(digits)))
        #expect(!prefix.matches(QuoteIDTests.id))
    }

    @Test func prefixIsCaseInsensitive() throws {
        #expect(try #require(QuoteIDPrefix(hex: "2BA8A9")).matches(QuoteIDTests.id))
    }

    @Test(arguments: ["", "2ba8a9db8071135ad2ccb91d78777e52f", "2ba8-9", "xyzxyz"])
    func malformedPrefixIsRefused(_ text: String) {
        #expect(QuoteIDPrefix(hex: text) == nil)
    }

    @Test func hexDecodingIgnoresWhitespaceAndRefusesOddLengths() {
        #expect(Hex.decode("0a 0B\n") == [0x0A, 0x0B])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.encode([0x00, 0xAB, 0xFF]) == "00abff")
    }
}
